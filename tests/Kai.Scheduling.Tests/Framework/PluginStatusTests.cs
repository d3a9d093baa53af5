using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Tests.Framework;

/// <summary>
/// A status whose reason is deferred (<see cref="DeferredReason"/>) writes its words only when they are read, once, and
/// is equal (and hashes equal) to the status that carries the same words as a string: explanations count equal
/// statuses together whichever way their plugin gave them.
/// </summary>
public sealed class PluginStatusTests
{
    private sealed class CountingReason(string words) : DeferredReason
    {
        public int Writes { get; private set; }

        protected override string Write()
        {
            Writes++;
            return words;
        }
    }

    [Fact]
    public void DeferredReason_IsWrittenOnlyWhenRead_AndOnce()
    {
        var reason = new CountingReason("queue q1 is full");
        var status = PluginStatus.Unschedulable(reason, "proportion");

        Assert.False(status.IsSuccess);
        Assert.Equal(PluginStatusCode.Unschedulable, status.Code);
        Assert.Equal(0, reason.Writes);

        Assert.Equal("queue q1 is full", status.Reason);
        Assert.Equal("queue q1 is full", status.ToString());
        Assert.Equal(1, reason.Writes);
    }

    [Fact]
    public void DeferredReason_EqualsTheSameWordsAsAString()
    {
        var deferred = PluginStatus.Unresolvable(new CountingReason("over quota"), "proportion") with { ExplanationReason = "NonPreemptibleOverQuota" };
        var written = PluginStatus.Unresolvable("over quota", "proportion") with { ExplanationReason = "NonPreemptibleOverQuota" };

        Assert.Equal(written, deferred);
        Assert.True(written == deferred);
        Assert.Equal(written.GetHashCode(), deferred.GetHashCode());
        var counts = new Dictionary<PluginStatus, int> { [written] = 1 };
        Assert.True(counts.ContainsKey(deferred));

        Assert.NotEqual(written, PluginStatus.Unresolvable(new CountingReason("over limit"), "proportion") with { ExplanationReason = "NonPreemptibleOverQuota" });
        Assert.NotEqual(written, PluginStatus.Unschedulable(new CountingReason("over quota"), "proportion") with { ExplanationReason = "NonPreemptibleOverQuota" });
        Assert.NotEqual(written, PluginStatus.Unresolvable(new CountingReason("over quota"), "proportion"));
    }

    [Fact]
    public void Reason_SetWithWith_ReplacesADeferredOne()
    {
        var status = PluginStatus.Unschedulable(new CountingReason("first"), "proportion") with { Reason = "second" };

        Assert.Equal("second", status.Reason);
        Assert.Equal(PluginStatus.Unschedulable("second", "proportion"), status);
    }
}
