using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Engine.Parameters;

/// <summary>Converts the raw strings of one source into a parameter's type; failures say what was expected.</summary>
public static partial class ValueConverter
{
    public static object? Convert(IReadOnlyList<string> values, Type type, string rootDirectory)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsArray)
        {
            var element = underlying.GetElementType()!;
            var items = values.SelectMany(SplitList).ToArray();
            var array = Array.CreateInstanceFromArrayType(underlying, items.Length);
            for (var i = 0; i < items.Length; i++) array.SetValue(ConvertOne(items[i], element, rootDirectory), i);
            return array;
        }
        if (underlying == typeof(bool) && values.Count == 0) return true;
        if (values.Count == 0) throw new FormatException("a value is missing");
        return ConvertOne(string.Join(" ", values), underlying, rootDirectory);
    }

    private static IEnumerable<string> SplitList(string value) =>
        value.Split([',', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static object ConvertOne(string value, Type type, string root)
    {
        if (type == typeof(string)) return value;
        if (type == typeof(bool))
            return value.ToLowerInvariant() switch
            {
                "true" or "1" or "yes" or "on" => true,
                "false" or "0" or "no" or "off" => false,
                _ => throw new FormatException($"'{value}' is not true or false"),
            };
        if (type == typeof(int)) return ParseInt(value);
        if (type == typeof(double))
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d
                : throw new FormatException($"'{value}' is not a number");
        if (type == typeof(TimeSpan)) return ParseDuration(value);
        if (type == typeof(AbsolutePath)) return AbsolutePath.Parse(value, root);
        if (type.IsEnum)
        {
            var match = Enum.GetNames(type).FirstOrDefault(n => Naming.Key(n) == Naming.Key(value));
            return match is not null ? Enum.Parse(type, match)
                : throw new FormatException($"'{value}' is not one of {string.Join(", ", Enum.GetNames(type).Select(Naming.Kebab))}");
        }
        throw new FormatException($"parameters of type {type.Name} are not supported");
    }

    /// <summary>A whole number that fits in an <see cref="int"/>; one too large says so rather than "not a number".</summary>
    public static int ParseInt(string value)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
        if (!WholeNumber().IsMatch(value.Trim())) throw new FormatException($"'{value}' is not a whole number");
        throw new FormatException(value.TrimStart().StartsWith('-')
            ? $"'{value}' is too small (at least {int.MinValue})"
            : $"'{value}' is too large (at most {int.MaxValue})");
    }

    /// <summary>Parses <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>250ms</c>, <c>2d</c> or <c>00:05:00</c>.</summary>
    public static TimeSpan ParseDuration(string value)
    {
        if (value.Contains(':'))
        {
            if (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span))
                throw new FormatException($"'{value}' is not a duration (e.g. 90s, 5m, 1h30m, 00:05:00; at most {MaxDays} days)");
            return span >= TimeSpan.Zero ? span : throw new FormatException($"'{value}' is negative (a duration is 0 or more)");
        }
        var parts = DurationPart().Matches(value.Trim());
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != value.Trim())
            throw new FormatException($"'{value}' is not a duration (e.g. 90s, 5m, 1h30m, 00:05:00)");
        // Summed in milliseconds as a double, so no unit or sum can overflow TimeSpan on the way.
        var milliseconds = 0.0;
        foreach (Match part in parts)
        {
            var number = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            milliseconds += number * part.Groups[2].Value switch
            {
                "ms" => 1,
                "s" => 1_000,
                "m" => 60_000,
                "h" => 3_600_000,
                _ => 86_400_000,
            };
        }
        try
        {
            if (double.IsFinite(milliseconds) && milliseconds < TimeSpan.MaxValue.TotalMilliseconds)
                return TimeSpan.FromMilliseconds(milliseconds);
        }
        catch (OverflowException) { }
        throw new FormatException($"'{value}' is too long (at most {MaxDays} days)");
    }

    private static readonly long MaxDays = (long)TimeSpan.MaxValue.TotalDays;

    [GeneratedRegex(@"^[+-]?\d+$")]
    private static partial Regex WholeNumber();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d)")]
    private static partial Regex DurationPart();
}
