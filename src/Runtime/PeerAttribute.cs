namespace ProxySql;

/// <summary>Sets the configuration key or a compile-time default weight of one peer property.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class PeerAttribute : Attribute
{
    /// <summary>The peer's configuration key is the property name.</summary>
    public PeerAttribute()
    {
    }

    /// <summary>The peer's configuration key is <paramref name="key"/> (case-insensitive), under <c>Peers</c>.</summary>
    /// <param name="key">The key of this peer under the section's <c>Peers</c>.</param>
    public PeerAttribute(string key) => Key = key;

    /// <summary>The configuration key, or <see langword="null"/> for the property name.</summary>
    public string? Key { get; }

    /// <summary>The default weight (0 or more) when configuration does not set one. Default 1.</summary>
    public int Weight { get; set; } = 1;
}
