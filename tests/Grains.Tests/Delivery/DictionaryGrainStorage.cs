using Orleans.Runtime;
using Orleans.Storage;

namespace Dagen.Grains.Tests.Delivery;

/// <summary>
/// Grain storage in a dictionary, with ETags checked like a real store, that can be told to refuse writes of
/// chosen state names. It copies nothing: each record keeps the object it was given.
/// </summary>
internal sealed class DictionaryGrainStorage : IGrainStorage
{
    private readonly Dictionary<string, (object State, string ETag)> _records = [];
    private int _version;

    /// <summary>State names whose writes fail, as a store that is down would.</summary>
    public HashSet<string> Failing { get; } = [];

    /// <summary>State names whose clears fail, as a store that is down would.</summary>
    public HashSet<string> FailingClears { get; } = [];

    public int Reads { get; private set; }

    public IReadOnlyCollection<string> Names => _records.Keys.Select(key => key.Split('|')[0]).ToList();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Reads++;
        if (_records.TryGetValue(Key(stateName, grainId), out var stored))
        {
            grainState.State = (T)stored.State;
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Failing.Contains(stateName))
        {
            throw new InvalidOperationException($"The store refused {stateName}.");
        }

        var key = Key(stateName, grainId);
        var current = _records.TryGetValue(key, out var stored) ? stored.ETag : null;
        if (current != grainState.ETag)
        {
            throw new InconsistentStateException($"{stateName}: ETag {grainState.ETag} is not {current}.");
        }

        var etag = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _records[key] = (grainState.State!, etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (FailingClears.Contains(stateName))
        {
            throw new InvalidOperationException($"The store refused to clear {stateName}.");
        }

        _records.Remove(Key(stateName, grainId));
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}|{grainId}";
}
