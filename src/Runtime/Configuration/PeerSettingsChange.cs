using System.Globalization;
using System.Text;

namespace ProxySql.Configuration;

/// <summary>One peer that was added, removed or changed between two <see cref="BalancerSettings"/>.</summary>
/// <param name="Name">The peer's name.</param>
/// <param name="Changes">What changed; never <see cref="PeerChanges.None"/>.</param>
/// <param name="Previous">Its old settings; <see langword="null"/> when <see cref="PeerChanges.Added"/>.</param>
/// <param name="Next">Its new settings; <see langword="null"/> when <see cref="PeerChanges.Removed"/>.</param>
internal sealed record PeerSettingsChange(string Name, PeerChanges Changes, PeerSettings? Previous, PeerSettings? Next)
{
    public bool Has(PeerChanges change) => (Changes & change) != 0;

    /// <summary>For logs: what changed, with endpoints and numbers but never a connection string.</summary>
    public string Describe()
    {
        if (Previous is null)
            return Name + ": added";
        if (Next is null)
            return Name + ": removed";

        var text = new StringBuilder(Name).Append(':');
        var first = true;
        void Part(string part)
        {
            text.Append(first ? " " : ", ").Append(part);
            first = false;
        }

        if (Has(PeerChanges.ConnectionString))
            Part(Has(PeerChanges.Endpoint) ? $"connection string changed ({Previous.Endpoint} -> {Next.Endpoint})" : "connection string changed (same endpoint)");
        if (Has(PeerChanges.Weight))
            Part(string.Create(CultureInfo.InvariantCulture, $"weight {Previous.Weight} -> {Next.Weight}"));
        if (Has(PeerChanges.Enabled))
            Part("enabled");
        if (Has(PeerChanges.Disabled))
            Part("disabled");
        if (Has(PeerChanges.ConnectTimeout))
            Part($"connect timeout {SettingsChange.Seconds(Previous.ConnectTimeout)} -> {SettingsChange.Seconds(Next.ConnectTimeout)}");
        return text.ToString();
    }
}
