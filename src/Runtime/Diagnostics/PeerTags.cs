using MySqlConnector;
using ProxySql.Configuration;

namespace ProxySql.Diagnostics;

/// <summary>
/// A peer's fixed attributes (name, <c>server.address</c>, <c>server.port</c>, <c>db.system.name</c>), computed once per
/// configuration: a reload that moves the peer swaps its <see cref="PeerSettings"/>, and with it these.
/// </summary>
internal sealed class PeerTags
{
    private PeerTags(PeerSettings settings, string address, int port)
    {
        Settings = settings;
        Address = address;
        Port = port;
    }

    public PeerSettings Settings { get; }

    public string Address { get; }

    public int Port { get; }

    public static PeerTags For(PeerSettings settings)
    {
        var builder = new MySqlConnectionStringBuilder(settings.ConnectionString);
        return new PeerTags(settings, builder.Server ?? string.Empty, (int)builder.Port);
    }
}
