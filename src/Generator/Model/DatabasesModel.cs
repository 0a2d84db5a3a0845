namespace ProxySql.Generator.Model;

/// <summary>Everything the emitter needs for one valid <c>[ProxySqlDatabases]</c> class. Holds no spans, so moving code does not re-emit.</summary>
/// <param name="Namespace">The namespace (keywords escaped), empty for the global namespace.</param>
/// <param name="Name">The class name as written.</param>
/// <param name="DisplayName">The class name for messages.</param>
/// <param name="FullyQualifiedName">The <c>global::</c> qualified name.</param>
/// <param name="HintName">The generated file name.</param>
/// <param name="ContainingTypes">Containing partial types, outermost first.</param>
/// <param name="SectionName">The configuration section.</param>
/// <param name="Defaults">Compile-time defaults.</param>
/// <param name="Peers">The peers in declaration order.</param>
internal sealed record DatabasesModel(
    string Namespace,
    string Name,
    string DisplayName,
    string FullyQualifiedName,
    string HintName,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string SectionName,
    DefaultsModel Defaults,
    EquatableArray<PeerModel> Peers);
