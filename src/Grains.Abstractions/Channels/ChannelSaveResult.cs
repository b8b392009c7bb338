namespace Dagen.Grains.Channels;

/// <summary>The outcome of saving a channel: the saved channel, or why it was refused, field by field.</summary>
[GenerateSerializer, Immutable, Alias("dagen.channels.save-result")]
public sealed record ChannelSaveResult
{
    [Id(0)] public ChannelView? Channel { get; init; }

    /// <summary>Field name (camelCase, as in the settings API) to what is wrong with it.</summary>
    [Id(1)] public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    /// <summary>True when the channel did not exist before this save.</summary>
    [Id(2)] public bool Created { get; init; }

    public bool Succeeded => Channel is not null && Errors.Count == 0;

    public static ChannelSaveResult Saved(ChannelView channel, bool created) =>
        new() { Channel = channel, Created = created };

    public static ChannelSaveResult Invalid(IReadOnlyDictionary<string, string> errors) => new() { Errors = errors };
}
