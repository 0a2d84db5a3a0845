using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace ProxySql;

/// <summary>One declared peer, as the source generator describes it to the runtime.</summary>
/// <remarks>
/// A binary contract with generated code compiled against older packages: generated code calls the parameterless
/// constructor and sets init properties by name. Add a field as a new optional init property with a default;
/// never remove or retype one, and never change the constructors (hand-written definitions use the second).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ProxySqlPeerDefinition
{
    /// <summary>For generated code, which sets the properties by name.</summary>
    public ProxySqlPeerDefinition()
    {
    }

    /// <summary>For hand-written definitions.</summary>
    /// <param name="name">The property name.</param>
    /// <param name="configurationKey">The key under the section's <c>Peers</c>.</param>
    /// <param name="defaultWeight">The weight used when configuration does not set one.</param>
    [SetsRequiredMembers]
    public ProxySqlPeerDefinition(string name, string configurationKey, int defaultWeight = 1)
    {
        Name = name;
        ConfigurationKey = configurationKey;
        DefaultWeight = defaultWeight;
    }

    /// <summary>The property name (what logs, metrics and errors call the peer).</summary>
    public required string Name { get; init; }

    /// <summary>The key under the section's <c>Peers</c> (case-insensitive).</summary>
    public required string ConfigurationKey { get; init; }

    /// <summary>The weight used when configuration does not set one.</summary>
    public int DefaultWeight { get; init; } = 1;

    /// <inheritdoc/>
    public override string ToString() => Name + " (" + ConfigurationKey + ")";
}
