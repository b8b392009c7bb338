namespace Dagen.StandIns.Cli;

/// <summary>The HTTP client of the command-line tools: no proxy, a short time-out, loopback targets only.</summary>
internal static class StandInHttp
{
    public static HttpClient Create() =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
}
