using Microsoft.Extensions.Configuration;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// A configuration whose whole content can be swapped and reloaded, as a file provider does on a change: the
/// change token fires on the thread that calls <see cref="Swap"/>, so whatever a reload handler throws lands here.
/// </summary>
internal sealed class SwappableConfiguration : ConfigurationProvider, IConfigurationSource
{
    public SwappableConfiguration(IDictionary<string, string?> values) => Load(values);

    public IConfigurationRoot Root => field ??= new ConfigurationBuilder().Add(this).Build();

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Replaces every value and raises the reload token.</summary>
    public void Swap(IDictionary<string, string?> values)
    {
        Load(values);
        OnReload();
    }

    private void Load(IDictionary<string, string?> values) =>
        Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
}
