using System.Net;

namespace ProxySql.Demo;

/// <summary>
/// What plays one ProxySQL node in the demo: a real <c>proxysql</c> process (<see cref="ProxySqlNodeHost"/>) or a
/// fault-injecting relay standing in for one (<see cref="RelayNodeHost"/>). The scenario drives the node through
/// these verbs; the live view reads <see cref="Status"/>.
/// </summary>
internal interface INodeHost : IAsyncDisposable
{
    /// <summary>Where clients connect (the node's MySQL port).</summary>
    IPEndPoint EndPoint { get; }

    /// <summary>One line for the start-up listing: what runs there, its ports and its PID.</summary>
    string Describe { get; }

    /// <summary>The latest status, as the node reports it (refreshed in the background for a real node).</summary>
    NodeStatus Status { get; }

    /// <summary>Whether <see cref="SetBlackholedAsync"/> is possible (relays only).</summary>
    bool CanBlackhole { get; }

    /// <summary>Whether <see cref="SetBackendsOnlineAsync"/> is possible (real nodes only).</summary>
    bool CanDropBackends { get; }

    /// <summary>Stops accepting new client connections; open sessions go on. Returns what the node answered.</summary>
    Task<string> PauseAsync(CancellationToken cancellationToken);

    /// <summary>Accepts new client connections again. Returns what the node answered.</summary>
    Task<string> ResumeAsync(CancellationToken cancellationToken);

    /// <summary>Stops the node cleanly (SIGTERM for a real node); sessions still open are closed.</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Crashes the node (SIGKILL for a real node): every open session is reset.</summary>
    Task KillAsync(CancellationToken cancellationToken);

    /// <summary>Starts the node again after a stop or a kill, with the same configuration and data, and waits until it answers.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Blackholes the node (or heals it): connects accepted, nothing answered.</summary>
    Task SetBlackholedAsync(bool blackholed, CancellationToken cancellationToken);

    /// <summary>The node's status read from the node now (for a real node: a query on its admin interface).</summary>
    Task<NodeStatus> ReadStatusAsync(CancellationToken cancellationToken);

    /// <summary>Sets one of the node's <c>mysql-</c> variables at runtime (real nodes only).</summary>
    Task SetVariableAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>Takes the node's MySQL servers away (<c>OFFLINE_HARD</c>) or brings them back (<c>ONLINE</c>).</summary>
    Task SetBackendsOnlineAsync(bool online, CancellationToken cancellationToken);
}
