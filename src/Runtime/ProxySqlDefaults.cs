using System.ComponentModel;

namespace ProxySql;

/// <summary>Compile-time defaults from <see cref="ProxySqlDatabasesAttribute"/>, as the source generator passes them.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record ProxySqlDefaults
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
}
