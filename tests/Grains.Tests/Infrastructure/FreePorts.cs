using System.Net;
using System.Net.Sockets;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>Ports that nothing listens on right now, for processes the tests start.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
