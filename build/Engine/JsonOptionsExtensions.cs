using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Pipeline.Engine;

/// <summary>
/// JSON through source-generated metadata only: the build is compiled native (NativeAOT), where System.Text.Json cannot
/// build a type's converters by reflection. Each concern's options name its own <c>JsonSerializerContext</c> as
/// <c>TypeInfoResolver</c>, and callers pass the typed metadata this returns instead of the options.
/// </summary>
public static class JsonOptionsExtensions
{
    /// <summary>The metadata of <typeparamref name="T"/> under <paramref name="options"/> (its naming policy, converters).</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(this JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
