using System.Net.Http.Headers;
using Dagen.StandIns.Dagen;
using Dagen.StandIns.Hosting;
using Dagen.StandIns.Slack;

namespace Dagen.EndToEnd.Tests.Infrastructure;

/// <summary>Starts stand-ins in the test process on free loopback ports, with test settings.</summary>
public static class StandIn
{
    public const string BotToken = "xoxb-test-0000-standin";

    public const string SigningSecret = "test0signing0secret00000001";

    public const string DagenToken = "dagen-test-token";

    /// <summary>
    /// A local workspace sending to <paramref name="eventsUrl"/>, retrying after <paramref name="retryDelays"/>
    /// (none by default). It waits Slack's 3 s for the gateway's answer unless told otherwise.
    /// </summary>
    public static Task<LocalSlackWorkspace> SlackAsync(
        Uri? eventsUrl = null, TimeProvider? time = null, params TimeSpan[] retryDelays) =>
        SlackAnsweringWithinAsync(TimeSpan.FromSeconds(3), eventsUrl, time, retryDelays);

    /// <summary>
    /// A local workspace that waits only <paramref name="responseTimeout"/> for the gateway's answer.
    /// </summary>
    public static Task<LocalSlackWorkspace> SlackAnsweringWithinAsync(
        TimeSpan responseTimeout, Uri? eventsUrl, TimeProvider? time = null, params TimeSpan[] retryDelays) =>
        LocalSlackWorkspace.StartAsync(
            new LocalSlackOptions
            {
                Url = new Uri("http://127.0.0.1:0"),
                BotToken = BotToken,
                SigningSecret = SigningSecret,
                EventsUrl = eventsUrl,
                RetryDelays = [.. retryDelays],
                ResponseTimeout = responseTimeout,
            },
            new StandInHostOptions { TimeProvider = time ?? TimeProvider.System });

    public static Task<LocalDagen> DagenAsync(TimeProvider? time = null) =>
        LocalDagen.StartAsync(
            new LocalDagenOptions
            {
                Url = new Uri("http://127.0.0.1:0"),
                ApiToken = DagenToken,
                StreamChunkDelay = TimeSpan.Zero,
            },
            new StandInHostOptions { TimeProvider = time ?? TimeProvider.System });

    /// <summary>
    /// An HTTP client that sends <paramref name="token"/> as the bearer, as the product's clients do.
    /// </summary>
    public static HttpClient Client(Uri baseUrl, string? token)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseUrl };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}
