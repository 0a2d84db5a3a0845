using System.ComponentModel;

namespace ProxySql;

/// <summary>Compile-time defaults from <see cref="ProxySqlDatabasesAttribute"/>, as the source generator passes them.</summary>
/// <remarks>
/// A binary contract with generated code compiled against older packages: generated code calls the parameterless
/// constructor and sets init properties by name. Add a setting as a new nullable init property (its absence means
/// the library default); never remove or retype one, and never add a constructor parameter.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ProxySqlDefaults
{
    /// <summary>The default check interval, or <see langword="null"/> for the library's.</summary>
    public TimeSpan? CheckInterval { get; init; }

    /// <summary>The default per-attempt connect timeout, or <see langword="null"/> for the library's.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>The default hedge delay, or <see langword="null"/> for the library's.</summary>
    public TimeSpan? HedgeDelay { get; init; }

    /// <summary>The default background probe interval, or <see langword="null"/> for the library's.</summary>
    public TimeSpan? ProbeInterval { get; init; }

    /// <summary>The default strategy, or <see langword="null"/> for the library's.</summary>
    public ProxySqlStrategy? Strategy { get; init; }

    /// <summary>The default probe statement, or <see langword="null"/> for the library's.</summary>
    public string? ProbeQuery { get; init; }

    /// <summary>The default probe statement timeout, or <see langword="null"/> for the library's.</summary>
    public TimeSpan? ProbeTimeout { get; init; }

    /// <summary>The default cap on extra attempts in flight per open, or <see langword="null"/> for the library's.</summary>
    public int? MaxHedgedAttempts { get; init; }

    /// <summary>The default slow-start window (<see cref="TimeSpan.Zero"/> is off), or <see langword="null"/> for the library's.</summary>
    public TimeSpan? SlowStartWindow { get; init; }

    /// <summary>The default of closing sessions in use on a peer marked down, or <see langword="null"/> for the library's.</summary>
    public bool? ShutdownSessionsOnMarkDown { get; init; }
}
