using System.Diagnostics;
using ProxySql.Testing;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// A real <see cref="ProxySqlNode"/> and the <see cref="ModeHistory{TMode}"/> of what chaos did to it. A switch from one
/// fault to another undoes the first (resume, start, backends online) and then applies the second; the whole switch is
/// recorded as the new fault from before it starts, and a restore as Up only once the node serves again.
/// </summary>
internal sealed class NodeTimeline(ProxySqlNode node) : IFaultTimeline<NodeMode>
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public ProxySqlNode Node { get; } = node;

    public ModeHistory<NodeMode> History { get; } = new(NodeMode.Up);

    public NodeMode Current => History.Current;

    public async Task SetAsync(NodeMode mode)
    {
        await _gate.WaitAsync();
        try
        {
            var from = History.Current;
            if (from == mode)
                return;
            if (mode != NodeMode.Up)
                History.Record(Stopwatch.GetTimestamp(), mode);
            switch (from)
            {
                case NodeMode.Paused:
                    await Node.ResumeAsync();
                    break;
                case NodeMode.Killed:
                    await Node.StartAsync();
                    break;
                case NodeMode.BackendsOff:
                    await Node.SetBackendsOnlineAsync(true);
                    break;
            }

            switch (mode)
            {
                case NodeMode.Paused:
                    await Node.PauseAsync();
                    break;
                case NodeMode.Killed:
                    await Node.KillAsync();
                    break;
                case NodeMode.BackendsOff:
                    await Node.SetBackendsOnlineAsync(false);
                    break;
                default:
                    History.Record(Stopwatch.GetTimestamp(), mode);
                    break;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
