namespace ProxySql.Generator.Model;

/// <summary>One declared peer property.</summary>
/// <param name="Name">The property name (without <c>@</c>), as logs and metrics call the peer.</param>
/// <param name="Identifier">The property identifier as written (keywords escaped).</param>
/// <param name="Key">The configuration key under <c>Peers</c>.</param>
/// <param name="Weight">The compile-time default weight.</param>
/// <param name="Modifiers">The declaration's modifiers other than <c>partial</c>, e.g. <c>public</c>.</param>
/// <param name="IsNullableAnnotated">The declaration's type is written <c>ProxySqlPeer?</c>.</param>
internal sealed record PeerModel(string Name, string Identifier, string Key, int Weight, string Modifiers, bool IsNullableAnnotated);
