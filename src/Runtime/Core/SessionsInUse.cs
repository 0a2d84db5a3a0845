using System.Collections.Concurrent;
using MySqlConnector;

namespace ProxySql.Core;

/// <summary>
/// The connections handed out on one peer and not closed yet, kept only while <c>ShutdownSessionsOnMarkDown</c> is on
/// (otherwise a handed-out connection costs a counter, not a set entry).
/// </summary>
internal sealed class SessionsInUse
{
    private readonly ConcurrentDictionary<MySqlConnection, int> _sessions = new(ReferenceEqualityComparer.Instance);

    /// <summary>Remembers <paramref name="connection"/> and its node-side session id (read now: it is only readable while open).</summary>
    public void Add(MySqlConnection connection) => _sessions[connection] = connection.ServerThread;

    public void Remove(MySqlConnection connection)
    {
        if (!_sessions.IsEmpty)
            _sessions.TryRemove(connection, out _);
    }

    /// <summary>The node-side session ids of the connections in use now.</summary>
    public List<int> ServerThreads()
    {
        var threads = new List<int>(_sessions.Count);
        foreach (var session in _sessions)
            threads.Add(session.Value);
        return threads;
    }
}
