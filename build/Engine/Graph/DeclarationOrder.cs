using System.Reflection;

namespace Pipeline.Engine.Graph;

/// <summary>
/// A build's members in the order its source declares them (targets are listed and tie-broken that way, as in NUKE).
/// Under the JIT that is metadata-token order; the native build has no tokens, and its reflection already answers in
/// declaration order.
/// </summary>
public static class DeclarationOrder
{
    public static IEnumerable<T> InDeclarationOrder<T>(this IEnumerable<T> members) where T : MemberInfo =>
        members.OrderBy(m => m.HasMetadataToken() ? m.MetadataToken : 0);
}
