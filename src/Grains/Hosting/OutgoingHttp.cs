namespace Dagen.Grains.Hosting;

/// <summary>The primary handler of every HTTP client the silo calls out with (Slack, webhooks, Dagen).</summary>
internal static class OutgoingHttp
{
    /// <summary>
    /// Redirects are not followed, so no call ends up on a host that was never configured; pooled connections
    /// are renewed every few minutes, so a change of the remote addresses is picked up.
    /// </summary>
    public static SocketsHttpHandler Handler() => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };
}
