using Dagen.Grains.Delivery;
using Dagen.Grains.Slack;
using Orleans.Runtime;

namespace Dagen.Grains.Tests.Delivery;

public sealed class QueueRecordsTests
{
    private const string Prefix = "queue-call";

    private readonly DictionaryGrainStorage _storage = new();
    private readonly GrainId _owner = GrainId.Create("slackchannelqueue", "ch-test/C0TEST");
    private readonly QueuePosition _position = new();
    private int _positionSaves;

    [Fact]
    public async Task ItemsAreNumberedInTheOrderTheyWereAddedAndEachIsStoredAlone()
    {
        var records = Records();

        await records.AddAsync([Call("one")]);
        await records.AddAsync([Call("two"), Call("three")]);

        Assert.Equal(3, records.Count);
        Assert.Equal(["queue-call-1", "queue-call-2", "queue-call-3"], _storage.Names.Order());
        Assert.Equal(["one", "two", "three"], (await Reloaded().LoadAsync(default)).Select(call => call.Content));
    }

    [Fact]
    public async Task TheOwnersStateIsWrittenOncePerBlockOfNumbersNotOncePerItem()
    {
        var records = Records();

        for (var i = 0; i < QueueRecords<SlackCall>.BlockSize + 1; i++)
        {
            await records.AddAsync([Call($"call {i}")]);
        }

        Assert.Equal(2, _positionSaves);
        Assert.Equal(2 * QueueRecords<SlackCall>.BlockSize, _position.ReservedThrough);
    }

    [Fact]
    public async Task AfterARestartEveryItemStillQueuedComesBackInOrderAndRemovedOnesDoNot()
    {
        var records = Records();
        var calls = Enumerable.Range(0, 300).Select(i => Call($"call {i}")).ToList();
        foreach (var call in calls)
        {
            await records.AddAsync([call]);
        }

        foreach (var call in calls.Where(call => call.Sequence % 3 == 0).Concat(calls.Take(10)))
        {
            await records.RemoveAsync(call);
        }

        var loaded = await Reloaded().LoadAsync(default);

        var expected = calls.Skip(10).Where(call => call.Sequence % 3 != 0).Select(call => call.Content);
        Assert.Equal(expected, loaded.Select(call => call.Content));
        Assert.Equal(11, _position.LowestLive);
    }

    [Fact]
    public async Task ARemovedItemLeavesNoRecordAndAnEmptyQueueLoadsWithoutReadingOldNumbers()
    {
        var records = Records();
        var call = Call("only");
        await records.AddAsync([call]);

        await records.RemoveAsync(call);

        Assert.Empty(_storage.Names);
        Assert.Equal(QueueRecords<SlackCall>.BlockSize + 1, _position.LowestLive);
        Assert.Empty(await Reloaded().LoadAsync(default));
        Assert.Equal(0, _storage.Reads);
    }

    [Fact]
    public async Task WhenOnePartCannotBeStoredNoneOfTheItemsStaysQueuedAndTheErrorReachesTheCaller()
    {
        var records = Records();
        await records.AddAsync([Call("before")]);
        _storage.Failing.Add("queue-call-3");

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => records.AddAsync([Call("part 1"), Call("part 2"), Call("part 3")]));

        Assert.Equal(1, records.Count);
        Assert.Equal(["queue-call-1"], _storage.Names);
        Assert.Equal(["before"], (await Reloaded().LoadAsync(default)).Select(call => call.Content));
    }

    [Fact]
    public async Task AReservationThatCannotBeSavedFailsTheAddAndTheNextAddTriesAgain()
    {
        var failSave = true;
        var records = new QueueRecords<SlackCall>(_storage, _owner, Prefix, _position, () =>
        {
            _positionSaves++;
            return failSave ? Task.FromException(new TimeoutException("storage is down")) : Task.CompletedTask;
        });

        await Assert.ThrowsAsync<TimeoutException>(() => records.AddAsync([Call("lost")]));
        failSave = false;
        await records.AddAsync([Call("kept")]);

        Assert.Equal(2, _positionSaves);
        Assert.Equal(["kept"], (await Reloaded().LoadAsync(default)).Select(call => call.Content));
    }

    [Fact]
    public async Task AChangedItemIsStoredAgainAndComesBackChanged()
    {
        var records = Records();
        var call = Call("retry me");
        await records.AddAsync([call]);

        call.FailedAttempts = 2;
        await records.SaveAsync(call);

        Assert.Equal(2, Assert.Single(await Reloaded().LoadAsync(default)).FailedAttempts);
    }

    [Fact]
    public async Task ARemovalThatFailedOnceIsCompletedWhenTriedAgainAndLeavesNoRecordBehind()
    {
        var records = Records();
        var call = Call("expired");
        await records.AddAsync([call]);
        _storage.FailingClears.Add("queue-call-1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => records.RemoveAsync(call));
        _storage.FailingClears.Clear();
        await records.RemoveAsync(call);

        Assert.Empty(_storage.Names);
    }

    [Fact]
    public async Task ARecordWhoseRemovalFailedIsStillFoundAfterARestartInsteadOfLeftUnreachable()
    {
        var records = Records();
        var first = Call("sent, not removed");
        var second = Call("sent");
        await records.AddAsync([first]);
        await records.AddAsync([second]);
        _storage.FailingClears.Add("queue-call-1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => records.RemoveAsync(first));
        await records.RemoveAsync(second);

        // Whatever is still stored must be reachable from the saved position, or it stays in storage for good.
        var reloaded = await Reloaded().LoadAsync(default);
        Assert.Equal(["queue-call-1"], _storage.Names);
        Assert.Equal(["sent, not removed"], reloaded.Select(call => call.Content));
    }

    [Fact]
    public async Task APartOfAFailedAddThatCannotBeTakenBackComesBackAfterARestartInsteadOfLeaking()
    {
        var records = Records();
        _storage.Failing.Add("queue-call-2");
        _storage.FailingClears.Add("queue-call-1");

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => records.AddAsync([Call("part 1"), Call("part 2")]));

        Assert.Equal(["queue-call-1"], _storage.Names);
        Assert.Equal(["part 1"], (await Reloaded().LoadAsync(default)).Select(call => call.Content));
    }

    private QueueRecords<SlackCall> Records() => new(_storage, _owner, Prefix, _position, () =>
    {
        _positionSaves++;
        return Task.CompletedTask;
    });

    /// <summary>A new activation: the same storage and the position as last saved.</summary>
    private QueueRecords<SlackCall> Reloaded() => Records();

    private static SlackCall Call(string content) => new()
    {
        Kind = SlackCallKind.Message,
        Ts = "1764579600.000100",
        Content = content,
    };
}
