using Microsoft.CodeAnalysis;

namespace ProxySql.Generator;

/// <summary>
/// Every diagnostic of the generator. Ids are stable and sequential; a retired id stays here as a comment and
/// is never reused. Keep AnalyzerReleases.Unshipped.md in step.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "ProxySql";

    public static readonly DiagnosticDescriptor TypeMustBePartialClass = new(
        "PSQL001",
        "[ProxySqlDatabases] type must be a partial class",
        "'{0}' is {1}; declare it as a non-static, non-abstract 'partial class' to use [ProxySqlDatabases]",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator implements the peers and Create in another part of the class, so the class must be a partial, instantiable class.");

    public static readonly DiagnosticDescriptor TypeMustNotBeGeneric = new(
        "PSQL002",
        "[ProxySqlDatabases] class must not be generic",
        "'{0}' is generic or nested in a generic type; remove the type parameters or move the class out of the generic type",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A databases class is created from configuration by a static Create method, which needs a closed type.");

    public static readonly DiagnosticDescriptor ContainingTypeMustBePartial = new(
        "PSQL003",
        "Type containing a [ProxySqlDatabases] class must be partial",
        "'{0}' is nested in '{1}', which is not partial; declare '{1}' as partial or move '{0}' out of it",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generated part of a nested class is declared inside partial declarations of its containing types.");

    public static readonly DiagnosticDescriptor BaseClassNotAllowed = new(
        "PSQL004",
        "[ProxySqlDatabases] class must not declare another base class",
        "'{0}' derives from '{1}', but a [ProxySqlDatabases] class derives from ProxySqlDatabases; remove the base class",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generated part makes the class derive from ProxySql.ProxySqlDatabases.");

    public static readonly DiagnosticDescriptor InvalidPeerMember = new(
        "PSQL005",
        "Peer must be a partial ProxySqlPeer get-only instance property",
        "Peer '{0}' {1}; declare it as 'public partial ProxySqlPeer {0} {{ get; }}'",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Peers are declared as partial get-only instance properties of type ProxySqlPeer; the generator implements them.");

    public static readonly DiagnosticDescriptor NoPeers = new(
        "PSQL006",
        "[ProxySqlDatabases] class declares no peers",
        "'{0}' declares no peers; add at least one 'public partial ProxySqlPeer Name {{ get; }}' property",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A balancer needs at least one peer.");

    public static readonly DiagnosticDescriptor DuplicatePeerKey = new(
        "PSQL007",
        "Two peers have the same configuration key",
        "Peers '{0}' and '{1}' both use the configuration key '{2}' (keys are case-insensitive); rename one of them or give it [Peer(\"another-key\")]",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Configuration keys are case-insensitive, so two peers whose keys differ only in case would read the same settings.");

    public static readonly DiagnosticDescriptor InvalidInterval = new(
        "PSQL008",
        "Interval is not a positive TimeSpan or number of seconds",
        "{0} = \"{1}\" is not a valid interval; write a positive TimeSpan of at most 24 days such as \"00:00:30\" or a positive number of seconds such as \"30\" or \"0.5\"",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Intervals are written in invariant culture as a constant TimeSpan (\"c\" format) or as seconds, and must be greater than zero.");

    public static readonly DiagnosticDescriptor UnknownStrategy = new(
        "PSQL009",
        "Unknown ProxySqlStrategy",
        "Strategy {0} is not a ProxySqlStrategy; use one of {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The strategy must be a named member of ProxySqlStrategy.");

    public static readonly DiagnosticDescriptor NegativeWeight = new(
        "PSQL010",
        "Peer weight is negative",
        "Weight {0} of peer '{1}' is negative; use 0 or more (0 keeps the peer out of weighted selection)",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Weights are 0 or more.");

    public static readonly DiagnosticDescriptor InvalidConfigurationKey = new(
        "PSQL011",
        "Invalid configuration section name or peer key",
        "{0} \"{1}\" is not a valid configuration key; {2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Section names are ':'-separated paths of non-empty names; peer keys are non-empty and contain no ':'.");

    public static readonly DiagnosticDescriptor UndeclaredPeerInSettings = new(
        "PSQL012",
        "Configuration names a peer the class does not declare",
        "Peer '{0}' under '{1}' in {2} is not declared by '{3}'; fix the key (declared: {4}) or declare a peer property for it",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every peer configured under the section's Peers must be a peer property of the class (or [Peer(\"key\")]); a typo would otherwise be ignored.");

    public static readonly DiagnosticDescriptor PeerMissingFromSettings = new(
        "PSQL013",
        "Declared peer is missing from configuration",
        "'{0}' declares peer '{1}' but '{2}' in {3} has no key '{4}'; add it or remove the peer property",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "When appsettings.json configures the section's Peers, every declared peer needs an entry there; Create fails at startup otherwise.");

    public static readonly DiagnosticDescriptor InvalidSettingsValue = new(
        "PSQL014",
        "Configuration value has the wrong type",
        "'{0}' in {1} must be {2}, but is {3}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Create would reject this value at startup.");

    public static readonly DiagnosticDescriptor InvalidSettingsJson = new(
        "PSQL015",
        "Settings file is not valid JSON",
        "{0} is not valid JSON: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The configuration JSON provider would fail to load this file at startup.");

    public static readonly DiagnosticDescriptor UnknownSetting = new(
        "PSQL016",
        "Unknown setting",
        "'{0}' in {1} is not a setting; use one of {2} (keys are case-insensitive)",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Create rejects unknown settings at startup, so that a misspelt key is not silently ignored.");

    public static readonly DiagnosticDescriptor TooManyPeers = new(
        "PSQL017",
        "Too many peers",
        "'{0}' declares {1} peers; the balancer supports at most {2}, so remove some",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The balancer keeps peer health in a 64-bit mask.");

    public static readonly DiagnosticDescriptor ReservedMemberName = new(
        "PSQL018",
        "Member name is used by generated code",
        "'{0}' declares '{1}', which the generator also declares; rename it (a peer keeps its configuration key with [Peer(\"{1}\")])",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generated part declares Create(IConfiguration, ...), PeerNames and ConfigurationSectionName.");

    public static readonly DiagnosticDescriptor InvalidSettingArgument = new(
        "PSQL019",
        "Attribute argument is out of range",
        "{0} = {1} is not valid; {2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "SlowStartWindow is 0 (off) or a positive interval of at most 24 days, MaxHedgedAttempts a whole number from 0 to 63, ProbeQuery one non-empty statement; Create would reject anything else.");

    public static readonly DiagnosticDescriptor PeersInSeveralFiles = new(
        "PSQL020",
        "Peers are declared in more than one file",
        "'{0}' declares peers in {1} files ({2}), so their order (Ordered's primary and standbys, RoundRobin's turn, Peers) is the files' path order, not one you can read; declare every peer in one file, or suppress PSQL020 to accept that order",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Peer order decides which peer Ordered uses first. Within one file it is the declaration order; across the files of a partial class it is defined as ordinal file path order, then position, which is easy to change by renaming a file. The code is still generated.");

    public static readonly DiagnosticDescriptor InternalError = new(
        "PSQL999",
        "The ProxySql generator failed",
        "The ProxySql generator failed on '{0}' ({1}); please report this with the declaration that caused it",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "An unexpected error in the generator; nothing was generated for this class.");

    /// <summary>The descriptor with <paramref name="id"/>.</summary>
    public static DiagnosticDescriptor Get(string id) => id switch
    {
        "PSQL001" => TypeMustBePartialClass,
        "PSQL002" => TypeMustNotBeGeneric,
        "PSQL003" => ContainingTypeMustBePartial,
        "PSQL004" => BaseClassNotAllowed,
        "PSQL005" => InvalidPeerMember,
        "PSQL006" => NoPeers,
        "PSQL007" => DuplicatePeerKey,
        "PSQL008" => InvalidInterval,
        "PSQL009" => UnknownStrategy,
        "PSQL010" => NegativeWeight,
        "PSQL011" => InvalidConfigurationKey,
        "PSQL012" => UndeclaredPeerInSettings,
        "PSQL013" => PeerMissingFromSettings,
        "PSQL014" => InvalidSettingsValue,
        "PSQL015" => InvalidSettingsJson,
        "PSQL016" => UnknownSetting,
        "PSQL017" => TooManyPeers,
        "PSQL018" => ReservedMemberName,
        "PSQL019" => InvalidSettingArgument,
        "PSQL020" => PeersInSeveralFiles,
        _ => InternalError,
    };
}
