using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ProxySql.Testing;

/// <summary>
/// Picks TCP ports for servers and relays on loopback addresses.
/// </summary>
/// <remarks>
/// Ports are taken below the kernel's ephemeral range, so an outgoing client connection never
/// borrows a port that a paused relay or a stopped server is about to bind again; and each is reserved for the life of
/// the test process (<see cref="PortReservations"/>), so no other server of this or another test process takes it meanwhile.
/// </remarks>
public static class LoopbackPort
{
    private const int LowestPort = 10_000;
    private const int Attempts = 200;

    /// <summary>
    /// Returns a port that is free right now on every given address (127.0.0.1 when none is given) and was never handed
    /// out before to this or another live test process.
    /// </summary>
    /// <param name="addresses">Loopback addresses that must all have the port free.</param>
    /// <returns>A free port number.</returns>
    /// <exception cref="InvalidOperationException">No free port was found.</exception>
    public static int FindFree(params IPAddress[] addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Length == 0)
        {
            addresses = [IPAddress.Loopback];
        }

        int highest = EphemeralRangeStart() - 1;
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
#pragma warning disable CA5394 // not security relevant: spreads concurrent processes over the range
            int port = Random.Shared.Next(LowestPort, highest + 1);
#pragma warning restore CA5394
            if (addresses.All(address => IsFree(address, port)) && PortReservations.TryReserve(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException(
            $"No free TCP port between {LowestPort} and {highest} on {string.Join(", ", addresses.Select(a => a.ToString()))} after {Attempts} attempts.");
    }

    private static bool IsFree(IPAddress address, int port)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralRangeStart()
    {
        const int Fallback = 32_768;
        try
        {
            string text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
            string first = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            int start = int.Parse(first, CultureInfo.InvariantCulture);
            return start > LowestPort + 1_000 ? start : Fallback;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return Fallback;
        }
    }
}
