using Microsoft.Extensions.Options;

namespace Dagen.Gateway.Hosting;

/// <summary>
/// The section <c>Gateway</c>: the settings API's token, the public address, the Events endpoint's limits.
/// </summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>
    /// <c>Gateway:AdminToken</c>: the bearer token of the settings API (<c>/api/channels…</c>). Required, at least
    /// 16 characters; no default.
    /// </summary>
    public string? AdminToken { get; set; }

    /// <summary>
    /// <c>Gateway:PublicBaseUrl</c>: the address Slack reaches this gateway on, such as
    /// <c>https://dagen.example.com</c>; a channel's <c>eventSubscriptionUrl</c> is built from it. When unset,
    /// the address of the settings request is used instead.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// <c>Gateway:EventBodyLimitBytes</c>: the largest request the Events endpoint reads. Default 1 MiB, far above
    /// any Slack event.
    /// </summary>
    public int EventBodyLimitBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// <c>Gateway:ClusterCallTimeout</c>: how long the Events endpoint waits on one grain call, so Slack is
    /// answered inside its 3-second limit. Default 00:00:02; at most 00:00:02.5.
    /// </summary>
    public TimeSpan ClusterCallTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <c>Gateway:SigningSecretCacheDuration</c>: how long a channel's signing secret is reused without asking
    /// the cluster. A request that fails verification re-reads it, so a rotated secret works at once. Default 30 s.
    /// </summary>
    public TimeSpan SigningSecretCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>Gateway:UnknownChannelCacheDuration</c>: how long "no such channel" is remembered, so junk requests do
    /// not reach the cluster each time. Default 5 s.
    /// </summary>
    public TimeSpan UnknownChannelCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The fixed window of Slack's replay protection: 300 s either way.</summary>
    public static readonly TimeSpan SignatureWindow = TimeSpan.FromMinutes(5);
}

internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    internal const int MinimumAdminTokenLength = 16;

    private static readonly TimeSpan MaximumClusterCallTimeout = TimeSpan.FromMilliseconds(2500);

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.AdminToken))
        {
            failures.Add("Gateway:AdminToken is not set, so nobody could use the settings API. Set it to a long "
                + "random value, e.g. the output of `openssl rand -hex 32`, with env Gateway__AdminToken.");
        }
        else if (options.AdminToken.Trim().Length < MinimumAdminTokenLength)
        {
            failures.Add($"Gateway:AdminToken is shorter than {MinimumAdminTokenLength} characters; use a long random "
                + "value such as the output of `openssl rand -hex 32` (env Gateway__AdminToken).");
        }

        if (options.PublicBaseUrl is { Length: > 0 } baseUrl
            && (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            failures.Add($"Gateway:PublicBaseUrl '{baseUrl}' is not an http(s) address without query; set it to "
                + "the address Slack reaches this gateway on, e.g. https://dagen.example.com (env "
                + "Gateway__PublicBaseUrl).");
        }

        if (options.EventBodyLimitBytes is < 64 * 1024 or > 16 * 1024 * 1024)
        {
            failures.Add("Gateway:EventBodyLimitBytes must be from 65536 to 16777216; remove it to use the default "
                + "1048576.");
        }

        if (options.ClusterCallTimeout <= TimeSpan.Zero || options.ClusterCallTimeout > MaximumClusterCallTimeout)
        {
            failures.Add("Gateway:ClusterCallTimeout must be above zero and at most 00:00:02.5 so Slack is answered "
                + "within 3 seconds; remove it to use the default 00:00:02.");
        }

        if (options.SigningSecretCacheDuration < TimeSpan.Zero || options.UnknownChannelCacheDuration < TimeSpan.Zero)
        {
            failures.Add("Gateway:SigningSecretCacheDuration and Gateway:UnknownChannelCacheDuration must not be "
                + "negative; 00:00:00 turns the cache off.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
