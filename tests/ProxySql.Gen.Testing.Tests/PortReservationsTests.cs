using System.Globalization;

namespace ProxySql.Testing.Tests;

public sealed class PortReservationsTests
{
    [Fact]
    public void A_port_handed_out_once_is_never_handed_out_again_in_this_process()
    {
        var ports = Enumerable.Range(0, 300).Select(_ => LoopbackPort.FindFree()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.False(PortReservations.TryReserve(port)));
        Assert.All(ports, port => Assert.Equal(
            Path.GetFileName(ScratchSpace.RunDirectory),
            File.ReadAllText(Path.Combine(PortReservations.Folder, port.ToString(CultureInfo.InvariantCulture)))));
    }

    [Fact]
    public void A_port_held_by_another_live_test_process_is_refused_and_one_left_by_a_dead_process_is_taken_over()
    {
        string root = Path.GetDirectoryName(ScratchSpace.RunDirectory)!;
        string liveOwner = "owner-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Path.Combine(root, liveOwner)); // stands in for another running test process's folder
        int held = UnreservedPort();
        int left = UnreservedPort(except: held);
        string heldFile = Path.Combine(PortReservations.Folder, held.ToString(CultureInfo.InvariantCulture));
        string leftFile = Path.Combine(PortReservations.Folder, left.ToString(CultureInfo.InvariantCulture));
        try
        {
            File.WriteAllText(heldFile, liveOwner);
            File.WriteAllText(leftFile, "owner-of-a-process-that-is-gone");

            Assert.False(PortReservations.TryReserve(held));
            Assert.Equal(liveOwner, File.ReadAllText(heldFile));
            Assert.True(PortReservations.TryReserve(left));
            Assert.Equal(Path.GetFileName(ScratchSpace.RunDirectory), File.ReadAllText(leftFile));
        }
        finally
        {
            File.Delete(heldFile);
            Directory.Delete(Path.Combine(root, liveOwner));
        }
    }

    /// <summary>A port number nobody has reserved yet (no file), that this process has not asked for either.</summary>
    private static int UnreservedPort(int except = 0)
    {
        // Ports above the range LoopbackPort hands out (it stays below the ephemeral range), so no server of this run
        // can ask for them while the test holds their files.
        for (int port = 65_535; port > 61_000; port--)
        {
            if (port != except && !File.Exists(Path.Combine(PortReservations.Folder, port.ToString(CultureInfo.InvariantCulture))))
            {
                return port;
            }
        }

        throw new InvalidOperationException("every port above 61000 has a reservation file");
    }
}
