using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using TorchHub.Errors;

namespace TorchHub.Hubconf.CSharp;

/// <summary>
/// Binds positional and named arguments to an entrypoint's parameters, as Python would bind
/// <c>*args, **kwargs</c> (names matched case-insensitively, as PowerShell does): positional
/// first, then by name; unbound optional parameters take their defaults; a <c>params</c> array
/// takes the remaining positional arguments.
/// </summary>
internal static class EntrypointBinder
{
    public static (MethodInfo Method, object?[] Arguments) Bind(
        string repository, IReadOnlyList<MethodInfo> overloads,
        IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> named, HubArgumentConverter convert)
    {
        if (overloads.Count == 1) return (overloads[0], BindOne(repository, overloads[0], args, named, convert));

        // Overloads: the first (fewest parameters first) that binds wins.
        var failures = new List<HubException>();
        foreach (var method in overloads.OrderBy(m => m.GetParameters().Length))
        {
            try { return (method, BindOne(repository, method, args, named, convert)); }
            catch (HubException ex) { failures.Add(ex); }
        }
        throw new HubException(HubErrorIds.InvalidEntrypointArgument, HubErrorCategory.InvalidArgument,
            $"No overload of '{overloads[0].Name}' in '{repository}' takes these arguments:\n" +
            string.Join("\n", overloads.Select(m => "  " + Signature(m))), overloads[0].Name, failures[0]);
    }

    private static object?[] BindOne(string repository, MethodInfo method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> named, HubArgumentConverter convert)
    {
        var parameters = method.GetParameters();
        var values = new object?[parameters.Length];
        var bound = new bool[parameters.Length];
        var paramsIndex = parameters.Length > 0 && parameters[^1].IsDefined(typeof(ParamArrayAttribute)) ? parameters.Length - 1 : -1;
        var fixedCount = paramsIndex >= 0 ? paramsIndex : parameters.Length;
        string Sig() => "Signature: " + Signature(method);

        for (var i = 0; i < Math.Min(args.Count, fixedCount); i++)
        {
            values[i] = Convert(repository, method, parameters[i], args[i], convert);
            bound[i] = true;
        }
        if (args.Count > fixedCount)
        {
            if (paramsIndex < 0)
                throw new HubException(HubErrorIds.UnknownEntrypointArgument, HubErrorCategory.InvalidArgument,
                    $"'{method.Name}' takes at most {fixedCount} positional argument{(fixedCount == 1 ? "" : "s")} but {args.Count} were given. {Sig()}", method.Name);
            values[paramsIndex] = Convert(repository, method, parameters[paramsIndex], args.Skip(fixedCount).ToArray(), convert);
            bound[paramsIndex] = true;
        }

        foreach (var (name, value) in named)
        {
            var index = Array.FindIndex(parameters, p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
                throw new HubException(HubErrorIds.UnknownEntrypointArgument, HubErrorCategory.InvalidArgument,
                    $"'{method.Name}' has no parameter named '{name}'. {Sig()}", name);
            if (bound[index])
                throw new HubException(HubErrorIds.InvalidEntrypointArgument, HubErrorCategory.InvalidArgument,
                    $"'{method.Name}' got two values for parameter '{parameters[index].Name}' (by position and by name). {Sig()}", name);
            values[index] = Convert(repository, method, parameters[index], value, convert);
            bound[index] = true;
        }

        var missing = new List<string>();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (bound[i]) continue;
            if (i == paramsIndex) values[i] = Array.CreateInstance(parameters[i].ParameterType.GetElementType()!, 0);
            else if (parameters[i].HasDefaultValue) values[i] = DefaultOf(parameters[i]);
            else missing.Add(parameters[i].Name!);
        }
        if (missing.Count > 0)
            throw new HubException(HubErrorIds.MissingEntrypointArgument, HubErrorCategory.InvalidArgument,
                $"'{method.Name}' needs a value for {(missing.Count == 1 ? "parameter" : "parameters")} {string.Join(", ", missing.Select(m => "'" + m + "'"))}. {Sig()}", method.Name);
        return values;
    }

    private static object? DefaultOf(ParameterInfo parameter)
    {
        var value = parameter.DefaultValue;
        // `T x = default` for a struct has no constant: make the zero value.
        if (value is null && parameter.ParameterType.IsValueType && Nullable.GetUnderlyingType(parameter.ParameterType) is null)
            return Activator.CreateInstance(parameter.ParameterType);
        if (value is not null && parameter.ParameterType.IsEnum) return Enum.ToObject(parameter.ParameterType, value);
        return value;
    }

    private static object? Convert(string repository, MethodInfo method, ParameterInfo parameter, object? value, HubArgumentConverter convert)
    {
        try
        {
            return convert(value, parameter.ParameterType);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var shown = value is null ? "null" : $"'{value}' ({value.GetType().Name})";
            throw new HubException(HubErrorIds.InvalidEntrypointArgument, HubErrorCategory.InvalidArgument,
                $"Cannot convert {shown} to parameter '{parameter.Name}' of '{method.Name}' (type {TypeName(parameter.ParameterType)}): {ex.Message} Signature: {Signature(method)}",
                parameter.Name, ex);
        }
    }

    /// <summary>A C#-like signature from reflection, e.g. <c>Module tiny(bool pretrained = false)</c>.</summary>
    public static string Signature(MethodInfo method) =>
        $"{TypeName(method.ReturnType)} {method.Name}({string.Join(", ", method.GetParameters().Select(FormatParameter))})";

    private static string FormatParameter(ParameterInfo p)
    {
        var text = (p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : "") + TypeName(p.ParameterType) + " " + p.Name;
        if (!p.HasDefaultValue) return text;
        var value = p.DefaultValue switch
        {
            null => "null",
            string s => "\"" + s + "\"",
            bool b => b ? "true" : "false",
            var e when (Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType).IsEnum =>
                TypeName(Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType) + "." + Enum.ToObject(Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType, e),
            var v => System.Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
        };
        return text + " = " + value;
    }

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void", [typeof(bool)] = "bool", [typeof(int)] = "int", [typeof(long)] = "long",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(string)] = "string", [typeof(object)] = "object",
        [typeof(byte)] = "byte", [typeof(short)] = "short", [typeof(decimal)] = "decimal", [typeof(char)] = "char",
    };

    internal static string TypeName(Type type)
    {
        if (Keywords.TryGetValue(type, out var keyword)) return keyword;
        if (Nullable.GetUnderlyingType(type) is { } inner) return TypeName(inner) + "?";
        if (type.IsArray) return TypeName(type.GetElementType()!) + "[]";
        if (!type.IsGenericType) return type.Name;
        var name = type.Name.Substring(0, type.Name.IndexOf('`'));
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
    }
}
