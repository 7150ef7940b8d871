using System;
using System.Collections;
using System.Globalization;

namespace TorchHub.Hubconf.CSharp;

/// <summary>
/// Converts one argument to an entrypoint parameter's type. The PowerShell cmdlet passes
/// PowerShell's own rules (LanguagePrimitives.ConvertTo); C# callers get <see cref="HubArgumentConverters.Default"/>.
/// Throw (any exception) when the value does not convert.
/// </summary>
public delegate object? HubArgumentConverter(object? value, Type targetType);

public static class HubArgumentConverters
{
    /// <summary>Plain .NET conversions: identity, null for reference/nullable types, enums by name, IConvertible, arrays element-wise.</summary>
    public static object? Default(object? value, Type targetType)
    {
        var underlying = Nullable.GetUnderlyingType(targetType);
        if (value is null)
        {
            if (!targetType.IsValueType || underlying is not null) return null;
            throw new InvalidCastException($"null cannot be converted to {targetType.Name}.");
        }
        var type = underlying ?? targetType;
        if (type.IsInstanceOfType(value)) return value;
        if (type.IsEnum)
            return value is string s ? Enum.Parse(type, s, ignoreCase: true) : Enum.ToObject(type, value);
        if (type.IsArray && value is IEnumerable items and not string)
        {
            var element = type.GetElementType()!;
            var list = new ArrayList();
            foreach (var item in items) list.Add(Default(item, element));
            var array = Array.CreateInstance(element, list.Count);
            list.CopyTo(array);
            return array;
        }
        if (type.IsArray)
        {
            var array = Array.CreateInstance(type.GetElementType()!, 1);
            array.SetValue(Default(value, type.GetElementType()!), 0);
            return array;
        }
        if (value is IConvertible && typeof(IConvertible).IsAssignableFrom(type))
            return Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
        throw new InvalidCastException($"A {value.GetType().Name} cannot be converted to {targetType.Name}.");
    }
}
