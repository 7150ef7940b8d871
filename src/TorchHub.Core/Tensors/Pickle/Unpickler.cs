using System;
using System.Buffers.Binary;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Text;

namespace TorchHub.Tensors.Pickle;

/// <summary>
/// A small pickle virtual machine for PyTorch checkpoints, safe by construction like
/// <c>torch.load(weights_only=True)</c>: it builds plain .NET values and can only "call" the
/// handful of globals in <see cref="PickleAllowList"/>; a pickle naming any other global (e.g.
/// <c>os.system</c>) is refused at the GLOBAL opcode, before anything could be invoked, and
/// nothing in this VM can run code anyway.
/// Hand-written because no .NET pickle reader is reachable here (no IronPython, pythonnet or
/// Razorvine.Pickle on the feed) and a general one would be the wrong tool: we want an
/// interpreter that cannot instantiate arbitrary types. It covers the opcodes of protocols 2-5
/// that torch.save emits, plus the common protocol 0/1 ones.
/// Input limits: every length is checked against the bytes left, so corrupt input fails fast.
/// </summary>
internal sealed class Unpickler
{
    private static readonly object Mark = new();

    private readonly BinaryReader _reader;
    private readonly Stream _stream;
    private readonly Func<object?, object?> _persistentLoad;
    private readonly List<object?> _stack = new();
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = new();
    private readonly long _end;
    private readonly long _maxBytes;
    private int _ops;

    /// <summary>
    /// <paramref name="maxBytes"/> is the most pickle bytes read from where the stream is now (a
    /// legacy file's pickles are read straight from the file): beyond it
    /// <see cref="PickleTooLargeException"/>, so a hostile file cannot make the VM allocate without bound.
    /// </summary>
    public Unpickler(Stream stream, Func<object?, object?> persistentLoad, long maxBytes = long.MaxValue)
    {
        _stream = stream;
        _maxBytes = maxBytes;
        _end = maxBytes >= long.MaxValue - stream.Position ? long.MaxValue : stream.Position + maxBytes;
        _reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        _persistentLoad = persistentLoad;
    }

    /// <summary>Reads one pickle (up to its STOP opcode) and returns its value.</summary>
    public object? Load()
    {
        _stack.Clear();
        _marks.Clear();
        _memo.Clear();
        while (true)
        {
            if ((++_ops & 0xFFF) == 0 && _stream.Position > _end) throw new PickleTooLargeException(_stream.Position, _maxBytes);
            var op = ReadByte();
            switch (op)
            {
                case 0x80: ReadByte(); break; // PROTO
                case 0x95: ReadBytesChecked(8); break; // FRAME: framing is transparent to a sequential reader
                case (byte)'.': return Pop(); // STOP
                case (byte)'(': _marks.Push(_stack.Count); _stack.Add(Mark); break; // MARK
                case (byte)'0': Pop(); break; // POP
                case (byte)'1': PopMark(); break; // POP_MARK
                case (byte)'2': Push(Peek()); break; // DUP

                // Constants and numbers.
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case (byte)'J': Push((long)_reader.ReadInt32()); break; // BININT
                case (byte)'K': Push((long)ReadByte()); break; // BININT1
                case (byte)'M': Push((long)_reader.ReadUInt16()); break; // BININT2
                case 0x8a: Push(ReadLong(ReadByte())); break; // LONG1
                case 0x8b: Push(ReadLong(ReadLength(_reader.ReadInt32()))); break; // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytesChecked(8))); break; // BINFLOAT
                case (byte)'I': Push(ParseTextInt(ReadLine())); break; // INT (protocol 0)
                case (byte)'L': Push(ParseTextInt(ReadLine().TrimEnd('L'))); break; // LONG (protocol 0)
                case (byte)'F': Push(double.Parse(ReadLine(), CultureInfo.InvariantCulture)); break; // FLOAT (protocol 0)

                // Strings and bytes.
                case (byte)'X': Push(Utf8(ReadLength(_reader.ReadUInt32()))); break; // BINUNICODE
                case 0x8c: Push(Utf8(ReadByte())); break; // SHORT_BINUNICODE
                case 0x8d: Push(Utf8(ReadLength(_reader.ReadInt64()))); break; // BINUNICODE8
                case (byte)'T': Push(Latin1(ReadLength(_reader.ReadInt32()))); break; // BINSTRING
                case (byte)'U': Push(Latin1(ReadByte())); break; // SHORT_BINSTRING
                case (byte)'B': Push(ReadBytesChecked(ReadLength(_reader.ReadUInt32()))); break; // BINBYTES
                case (byte)'C': Push(ReadBytesChecked(ReadByte())); break; // SHORT_BINBYTES
                case 0x8e: Push(ReadBytesChecked(ReadLength(_reader.ReadInt64()))); break; // BINBYTES8
                case 0x96: Push(ReadBytesChecked(ReadLength(_reader.ReadInt64()))); break; // BYTEARRAY8

                // Containers.
                case (byte)'}': Push(new OrderedDictionary()); break; // EMPTY_DICT
                case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
                case (byte)')': Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case 0x8f: Push(new HashSet<object?>()); break; // EMPTY_SET
                case (byte)'t': Push(PopMark().ToArray()); break; // TUPLE
                case 0x85: Push(new[] { Pop() }); break; // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'l': Push(new List<object?>(PopMark())); break; // LIST
                case (byte)'d': Push(DictFrom(PopMark())); break; // DICT
                case (byte)'a': { var v = Pop(); As<List<object?>>(Peek(), "APPEND").Add(v); break; } // APPEND
                case (byte)'e': { var items = PopMark(); As<List<object?>>(Peek(), "APPENDS").AddRange(items); break; } // APPENDS
                case (byte)'s': { var v = Pop(); var k = Pop(); SetItem(Peek(), k, v); break; } // SETITEM
                case (byte)'u': // SETITEMS
                {
                    var items = PopMark();
                    if (items.Count % 2 != 0) throw new PickleFormatException("SETITEMS with an odd number of items.");
                    var target = Peek();
                    for (var i = 0; i < items.Count; i += 2) SetItem(target, items[i], items[i + 1]);
                    break;
                }
                case 0x90: { var items = PopMark(); var set = As<HashSet<object?>>(Peek(), "ADDITEMS"); foreach (var i in items) set.Add(i); break; } // ADDITEMS
                case 0x91: Push(new HashSet<object?>(PopMark())); break; // FROZENSET

                // Memo.
                case (byte)'q': _memo[ReadByte()] = Peek(); break; // BINPUT
                case (byte)'r': _memo[_reader.ReadUInt32()] = Peek(); break; // LONG_BINPUT
                case (byte)'p': _memo[ParseMemoKey(ReadLine())] = Peek(); break; // PUT
                case 0x94: _memo[_memo.Count] = Peek(); break; // MEMOIZE
                case (byte)'h': Push(MemoGet(ReadByte())); break; // BINGET
                case (byte)'j': Push(MemoGet(_reader.ReadUInt32())); break; // LONG_BINGET
                case (byte)'g': Push(MemoGet(ParseMemoKey(ReadLine()))); break; // GET

                // Globals and calls: only the allow-list resolves.
                case (byte)'c': { var module = ReadLine(); var name = ReadLine(); Push(PickleAllowList.Resolve(module, name)); break; } // GLOBAL
                case 0x93: // STACK_GLOBAL
                {
                    var name = As<string>(Pop(), "STACK_GLOBAL name");
                    var module = As<string>(Pop(), "STACK_GLOBAL module");
                    Push(PickleAllowList.Resolve(module, name));
                    break;
                }
                case (byte)'R': { var args = Pop(); var callable = Pop(); Push(PickleAllowList.Call(callable, AsTuple(args))); break; } // REDUCE
                case 0x81: { var args = Pop(); var cls = Pop(); Push(PickleAllowList.Call(cls, AsTuple(args))); break; } // NEWOBJ
                case (byte)'b': { var state = Pop(); PickleAllowList.Build(Peek(), state); break; } // BUILD
                case (byte)'Q': Push(_persistentLoad(Pop())); break; // BINPERSID
                case (byte)'P': Push(_persistentLoad(ReadLine())); break; // PERSID

                default:
                    throw new PickleFormatException($"Unsupported or invalid pickle opcode 0x{op:x2} at offset {_stream.Position - 1}.");
            }
        }
    }

    private void Push(object? value) => _stack.Add(value);

    private object? Pop()
    {
        if (_stack.Count == 0) throw new PickleFormatException("Pickle stack underflow.");
        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        if (ReferenceEquals(value, Mark)) throw new PickleFormatException("Unexpected MARK on the pickle stack.");
        return value;
    }

    private object? Peek()
    {
        if (_stack.Count == 0 || ReferenceEquals(_stack[^1], Mark)) throw new PickleFormatException("Pickle stack underflow.");
        return _stack[^1];
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw new PickleFormatException("Pickle MARK missing.");
        var at = _marks.Pop();
        var items = _stack.GetRange(at + 1, _stack.Count - at - 1);
        _stack.RemoveRange(at, _stack.Count - at);
        return items;
    }

    private object? MemoGet(long key) =>
        _memo.TryGetValue(key, out var value) ? value : throw new PickleFormatException($"Pickle memo key {key} is missing.");

    private static T As<T>(object? value, string what) =>
        value is T typed ? typed : throw new PickleFormatException($"{what}: unexpected {value?.GetType().Name ?? "None"}.");

    private static object?[] AsTuple(object? value) => value switch
    {
        object?[] tuple => tuple,
        List<object?> list => list.ToArray(),
        _ => throw new PickleFormatException("Call arguments are not a tuple."),
    };

    private static OrderedDictionary DictFrom(List<object?> items)
    {
        if (items.Count % 2 != 0) throw new PickleFormatException("DICT with an odd number of items.");
        var dict = new OrderedDictionary();
        for (var i = 0; i < items.Count; i += 2) dict[Key(items[i])] = items[i + 1];
        return dict;
    }

    private static void SetItem(object? target, object? key, object? value)
    {
        if (target is not IDictionary dict) throw new PickleFormatException("SETITEM on a value that is not a dict.");
        dict[Key(key)] = value;
    }

    // OrderedDictionary rejects null keys; Python allows None. Tuples as keys compare by reference here.
    private static object Key(object? key) => key ?? PickleNone.Value;

    private byte ReadByte()
    {
        var b = _stream.ReadByte();
        if (b < 0) throw new EndOfStreamException("The pickle ends before its STOP opcode.");
        return (byte)b;
    }

    private int ReadLength(long length)
    {
        if (length < 0 || length > _stream.Length - _stream.Position)
            throw new EndOfStreamException($"A pickle item claims {length} bytes but only {_stream.Length - _stream.Position} remain.");
        if (_stream.Position + length > _end) throw new PickleTooLargeException(_stream.Position + length, _maxBytes);
        return checked((int)length);
    }

    private byte[] ReadBytesChecked(int count)
    {
        ReadLength(count);
        var bytes = new byte[count];
        _stream.ReadExactly(bytes);
        return bytes;
    }

    private string Utf8(int count) => Encoding.UTF8.GetString(ReadBytesChecked(count));

    private string Latin1(int count) => Encoding.Latin1.GetString(ReadBytesChecked(count));

    private string ReadLine()
    {
        var sb = new StringBuilder();
        while (true)
        {
            var b = ReadByte();
            if (b == (byte)'\n') return sb.ToString();
            if (sb.Length > 4096) throw new PickleFormatException("Pickle text line too long.");
            sb.Append((char)b);
        }
    }

    private static long ParseMemoKey(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var key) ? key : throw new PickleFormatException("Invalid memo key.");

    private static object ParseTextInt(string text) => text switch
    {
        "00" => false,
        "01" => true,
        _ when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        _ when BigInteger.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var big) => big,
        _ => throw new PickleFormatException($"Invalid integer '{text}'."),
    };

    /// <summary>LONG1/LONG4: little-endian two's complement; long when it fits, else BigInteger.</summary>
    private object ReadLong(int count)
    {
        var bytes = ReadBytesChecked(count);
        if (count == 0) return 0L;
        var big = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return big >= long.MinValue && big <= long.MaxValue ? (long)big : big;
    }
}

/// <summary>Python's None used as a dictionary key (OrderedDictionary takes no null keys).</summary>
public sealed class PickleNone
{
    public static readonly PickleNone Value = new();

    private PickleNone() { }

    public override string ToString() => "None";
}
