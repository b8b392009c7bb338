namespace Dagen.Grains.Channels;

/// <summary>
/// The list of notification channel ids, so that channels can be listed. Use the key
/// <see cref="Key"/>. Each channel grain keeps it in step when it is created or deleted; a listed id whose
/// channel no longer exists is skipped by <see cref="ChannelDirectoryExtensions.ListChannelsAsync"/>.
/// </summary>
[Alias("dagen.channels.directory")]
public interface INotificationChannelDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The one directory of the cluster.</summary>
    public const long Key = 0;

    /// <summary>Every channel id known, in ordinal order.</summary>
    [Alias("list")]
    Task<IReadOnlyList<string>> ListAsync();

    /// <summary>Adds a channel id; adding one that is listed already changes nothing.</summary>
    [Alias("add")]
    Task AddAsync(string channelId);

    /// <summary>Removes a channel id; removing one that is not listed changes nothing.</summary>
    [Alias("remove")]
    Task RemoveAsync(string channelId);
}

/// <summary>Listing channels through any grain factory: a silo, the gateway, or the Dagen backend's client.</summary>
public static class ChannelDirectoryExtensions
{
    /// <summary>Every existing channel, masked, in id order.</summary>
    public static async Task<IReadOnlyList<ChannelView>> ListChannelsAsync(this IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var directory = grains.GetGrain<INotificationChannelDirectoryGrain>(INotificationChannelDirectoryGrain.Key);
        var ids = await directory.ListAsync();

        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<INotificationChannelGrain>(id).GetAsync()));

        return [.. views.OfType<ChannelView>()];
    }
}
