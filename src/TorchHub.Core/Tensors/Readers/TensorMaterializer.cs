using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using TorchHub.Tensors.Pickle;
using static TorchSharp.torch;

namespace TorchHub.Tensors.Readers;

/// <summary>
/// Turns the unpickled graph's <see cref="TensorRecipe"/>s into TorchSharp tensors. Each storage
/// becomes one 1-D tensor and every tensor is an <c>as_strided</c> view of it, so views that share
/// a storage in the file share memory here too (as in PyTorch), with PyTorch's sizes, strides and
/// offsets.
/// </summary>
internal sealed class TensorMaterializer : IDisposable
{
    private readonly Func<StorageRef, Tensor> _readStorage;
    private readonly Dictionary<string, Tensor> _storages = new(StringComparer.Ordinal);
    private readonly Dictionary<TensorRecipe, Tensor> _made = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> _visited = new(ReferenceEqualityComparer.Instance);

    public TensorMaterializer(Func<StorageRef, Tensor> readStorage) => _readStorage = readStorage;

    /// <summary>Storages read so far (legacy files read them all up front through <see cref="AddStorage"/>).</summary>
    public void AddStorage(string key, Tensor storage) => _storages[key] = storage;

    /// <summary>
    /// Replaces every <see cref="TensorRecipe"/> in the graph with its tensor, in place. Iterative
    /// (an explicit work list, not recursion): the graph comes from an untrusted file, and a pickle
    /// of lists nested 50,000 deep must not overflow the caller's stack (Python's own unpickler
    /// loads it too).
    /// </summary>
    public object? Materialize(object? value)
    {
        if (value is TensorRecipe root) return Make(root);
        var pending = new Stack<object>();
        Visit(value, pending);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case OrderedDictionary dict:
                    foreach (var key in dict.Keys.Cast<object>().ToArray())
                    {
                        if (dict[key] is TensorRecipe recipe) dict[key] = Make(recipe);
                        else Visit(dict[key], pending);
                    }
                    break;
                case List<object?> list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is TensorRecipe recipe) list[i] = Make(recipe);
                        else Visit(list[i], pending);
                    }
                    break;
                case object?[] tuple:
                    for (var i = 0; i < tuple.Length; i++)
                    {
                        if (tuple[i] is TensorRecipe recipe) tuple[i] = Make(recipe);
                        else Visit(tuple[i], pending);
                    }
                    break;
                case HashSet<object?> set:
                    if (set.Any(v => v is TensorRecipe))
                    {
                        var items = set.Select(v => v is TensorRecipe recipe ? Make(recipe) : v).ToArray();
                        set.Clear();
                        foreach (var item in items) set.Add(item);
                    }
                    foreach (var item in set) Visit(item, pending);
                    break;
            }
        }
        return value;
    }

    /// <summary>Queues a container once (shared and self-referencing containers are walked once).</summary>
    private void Visit(object? value, Stack<object> pending)
    {
        if (value is OrderedDictionary or List<object?> or object?[] or HashSet<object?> && _visited.Add(value!)) pending.Push(value!);
    }

    private Tensor Make(TensorRecipe recipe)
    {
        if (_made.TryGetValue(recipe, out var done)) return done;
        var storage = recipe.Storage;
        if (!_storages.TryGetValue(storage.Key, out var root))
        {
            root = _readStorage(storage);
            _storages[storage.Key] = root;
        }
        if (recipe.Size.Length != recipe.Stride.Length)
            throw new PickleFormatException($"Tensor size {Show(recipe.Size)} and stride {Show(recipe.Stride)} differ in rank.");
        var offset = storage.ElementOffset + recipe.StorageOffset;
        if (recipe.Size.Any(s => s < 0) || recipe.Stride.Any(s => s < 0) || offset < 0)
            throw new PickleFormatException("Negative tensor size, stride or offset.");
        if (!recipe.Size.Contains(0))
        {
            var last = offset + recipe.Size.Zip(recipe.Stride, (s, st) => (s - 1) * st).Sum();
            if (last >= root.shape[0])
                throw new PickleFormatException($"Tensor of size {Show(recipe.Size)} at offset {offset} reaches beyond its storage of {root.shape[0]} elements.");
        }
        var tensor = root.as_strided(recipe.Size, recipe.Stride, offset);
        if (recipe.RequiresGrad && tensor.is_floating_point()) tensor.requires_grad_(true);
        _made[recipe] = tensor;
        return tensor;
    }

    private static string Show(long[] values) => "(" + string.Join(", ", values) + ")";

    /// <summary>Releases the storage handles; the returned views keep the memory alive.</summary>
    public void Dispose()
    {
        foreach (var storage in _storages.Values) storage.Dispose();
        _storages.Clear();
    }
}
