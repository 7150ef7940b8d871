using System;
using System.Buffers.Binary;
using System.Text;

namespace TorchHub.Runtime;

/// <summary>
/// The one ELF edit the native fix needs: set VER_FLG_WEAK on a version requirement
/// (a <c>Vernaux</c> entry of <c>.gnu.version_r</c>), so the dynamic loader accepts a
/// libstdc++ that lacks that version. Hand-written because it is ~60 lines of reading fixed
/// ELF64 structures and no ELF library is available; patchelf cannot do it and would be a
/// run-time dependency.
/// </summary>
internal static class ElfVersionPatcher
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>
    /// Marks every requirement named <paramref name="versionName"/> weak, in place.
    /// Returns how many entries were changed (0 when none asks for that version).
    /// </summary>
    public static int MarkVersionWeak(byte[] elf, string versionName)
    {
        var span = elf.AsSpan();
        if (span.Length < 64 || span[0] != 0x7f || span[1] != (byte)'E' || span[2] != (byte)'L' || span[3] != (byte)'F')
            throw new FormatException("Not an ELF file.");
        if (span[4] != 2 || span[5] != 1)
            throw new FormatException("Only 64-bit little-endian ELF files are supported.");

        var shoff = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]));
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        if (shoff == 0 || shnum == 0) throw new FormatException("The ELF file has no section headers.");

        var changed = 0;
        for (var i = 0; i < shnum; i++)
        {
            var sh = Slice(span, shoff + i * shentsize, 64);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != ShtGnuVerneed) continue;

            var offset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x18..]));
            var link = BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]);
            var count = BinaryPrimitives.ReadUInt32LittleEndian(sh[0x2C..]);
            var strtab = Slice(span, shoff + checked((int)link) * shentsize, 64);
            var strOffset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(strtab[0x18..]));

            var need = offset;
            for (var n = 0; n < count; n++)
            {
                var vn = Slice(span, need, 16);
                var auxCount = BinaryPrimitives.ReadUInt16LittleEndian(vn[2..]);
                var aux = need + checked((int)BinaryPrimitives.ReadUInt32LittleEndian(vn[8..]));
                for (var a = 0; a < auxCount; a++)
                {
                    var vna = Slice(span, aux, 16);
                    var name = ReadString(span, strOffset + checked((int)BinaryPrimitives.ReadUInt32LittleEndian(vna[8..])));
                    if (name == versionName)
                    {
                        var flags = BinaryPrimitives.ReadUInt16LittleEndian(vna[4..]);
                        BinaryPrimitives.WriteUInt16LittleEndian(vna[4..], (ushort)(flags | VerFlgWeak));
                        changed++;
                    }
                    var next = BinaryPrimitives.ReadUInt32LittleEndian(vna[12..]);
                    if (next == 0) break;
                    aux += checked((int)next);
                }
                var nextNeed = BinaryPrimitives.ReadUInt32LittleEndian(vn[12..]);
                if (nextNeed == 0) break;
                need += checked((int)nextNeed);
            }
        }
        return changed;
    }

    private static Span<byte> Slice(Span<byte> span, int offset, int length)
    {
        if (offset < 0 || offset + length > span.Length) throw new FormatException("ELF structure out of bounds.");
        return span.Slice(offset, length);
    }

    private static string ReadString(Span<byte> span, int offset)
    {
        if (offset < 0 || offset >= span.Length) throw new FormatException("ELF string out of bounds.");
        var end = span[offset..].IndexOf((byte)0);
        if (end < 0) throw new FormatException("Unterminated ELF string.");
        return Encoding.ASCII.GetString(span.Slice(offset, end));
    }
}
