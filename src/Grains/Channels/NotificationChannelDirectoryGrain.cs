using Dagen.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Dagen.Grains.Channels;

internal sealed partial class NotificationChannelDirectoryGrain(
    [PersistentState("channel-directory", GrainStorage.Default)] IPersistentState<ChannelDirectoryState> state,
    ILogger<NotificationChannelDirectoryGrain> logger) : Grain, INotificationChannelDirectoryGrain
{
    private long Key => this.GetPrimaryKeyLong();

    public Task<IReadOnlyList<string>> ListAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.ChannelIds.Order(StringComparer.Ordinal)]);

    public async Task AddAsync(string channelId)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        if (state.State.ChannelIds.Add(channelId))
        {
            await state.WriteStateAsync();
            LogChanged(Key, channelId, "added", state.State.ChannelIds.Count);
        }
    }

    public async Task RemoveAsync(string channelId)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        if (state.State.ChannelIds.Remove(channelId))
        {
            await state.WriteStateAsync();
            LogChanged(Key, channelId, "removed", state.State.ChannelIds.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Channel directory {DirectoryKey}: {ChannelId} {Change}; {Count} listed")]
    private partial void LogChanged(long directoryKey, string channelId, string change, int count);
}

/// <summary>What the channel directory stores: the ids of the channels that exist.</summary>
[GenerateSerializer, Alias("dagen.channels.directory-state")]
internal sealed class ChannelDirectoryState
{
    [Id(0)] public HashSet<string> ChannelIds { get; set; } = [];
}
