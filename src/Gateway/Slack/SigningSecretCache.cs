using System.Collections.Concurrent;
using Dagen.Gateway.Hosting;
using Dagen.Grains.Channels;
using Microsoft.Extensions.Options;

namespace Dagen.Gateway.Slack;

/// <summary>
/// Keeps each channel's signing secret for a short while, so that a burst of events costs one grain call. Misses
/// ("no such channel, or no bot settings") are kept for a shorter while so junk requests do not reach the cluster
/// each time. A request whose signature fails against a cached secret re-reads it (at most once a second per
/// channel), so a rotated secret takes effect at once; the old one keeps working until its entry expires.
/// </summary>
public sealed class SigningSecretCache(IGrainFactory grains, IOptions<GatewayOptions> options, TimeProvider clock)
{
    /// <summary>More entries than this and the cache starts over, so junk channel ids cannot grow it.</summary>
    private const int MaxEntries = 10_000;

    private static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly GatewayOptions _options = options.Value;

    /// <summary>
    /// The channel's signing secret, or null when it has none (no such channel, or no bot settings). Throws
    /// <see cref="TimeoutException"/> when the cluster does not answer within the configured time-out.
    /// </summary>
    public async Task<string?> GetAsync(string channelId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(channelId, out var entry) && entry.ExpiresAt > now)
        {
            return entry.Secret;
        }

        return await FetchAsync(channelId, cancellationToken);
    }

    /// <summary>
    /// Re-reads the secret after a failed verification, when the cached one is old enough to be worth it. Returns
    /// the secret when it changed, else null.
    /// </summary>
    public async Task<string?> RefreshAsync(string channelId, string staleSecret, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(channelId, out var entry)
            && clock.GetUtcNow() - entry.FetchedAt < MinimumRefreshInterval)
        {
            return null;
        }

        var secret = await FetchAsync(channelId, cancellationToken);
        return secret is not null && secret != staleSecret ? secret : null;
    }

    /// <summary>Forgets a channel, after its settings changed through this gateway.</summary>
    public void Invalidate(string channelId) => _entries.TryRemove(channelId, out _);

    private async Task<string?> FetchAsync(string channelId, CancellationToken cancellationToken)
    {
        var secret = await grains.GetGrain<INotificationChannelGrain>(channelId)
            .GetSigningSecretAsync()
            .WaitAsync(_options.ClusterCallTimeout, clock, cancellationToken);

        var now = clock.GetUtcNow();
        var keep = secret is null ? _options.UnknownChannelCacheDuration : _options.SigningSecretCacheDuration;
        if (keep > TimeSpan.Zero)
        {
            if (_entries.Count >= MaxEntries)
            {
                // Junk ids fill the cache with misses: drop those and anything expired, never a live secret.
                foreach (var (id, old) in _entries)
                {
                    if (old.Secret is null || old.ExpiresAt <= now)
                    {
                        _entries.TryRemove(id, out _);
                    }
                }
            }

            if (secret is null && _entries.Count >= MaxEntries)
            {
                return secret;
            }

            _entries[channelId] = new Entry(secret, now, now + keep);
        }

        return secret;
    }

    private sealed record Entry(string? Secret, DateTimeOffset FetchedAt, DateTimeOffset ExpiresAt);
}
