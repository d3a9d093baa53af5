namespace Kai.Scheduling.Plugins.Proportion.Fairness;

/// <summary>
/// One sibling queue's inputs for dividing one resource. Amounts are in engine units:
/// CPU millicores, memory bytes, milli-GPU (1 GPU = 1000). -1 means unlimited.
/// </summary>
/// <param name="Deserved">Quota; -1 means the queue deserves the whole total being divided.</param>
/// <param name="Limit">Most the queue may be given; -1 is unlimited, 0 (also "unset") blocks the resource.</param>
/// <param name="Request">What the queue's subtree requests (&gt;= 0).</param>
/// <param name="OverQuotaWeight">Relative weight for the over-quota part; 0 means no over-quota. KAI accepts negative
/// weights and so does the division: each weight is divided by the sum of the weights of the siblings still asking, and
/// a negative share weight counts as 0. So a negative weight gets nothing while siblings with positive weights still ask
/// (and shares the rest once they are satisfied), a set of only negative weights shares by magnitude, and weights that
/// cancel out to 0 give no over-quota in that round.</param>
/// <param name="Priority">Queue priority: higher buckets get over-quota first.</param>
/// <param name="Usage">Normalized historical usage in [0, 1]; 0 when there is no usage data.</param>
/// <param name="CreationTimestamp">Older queues win ties for leftover steps.</param>
/// <param name="Uid">Final tie-breaker (ordinal order).</param>
public readonly record struct FairShareClaim(
    long Deserved,
    long Limit,
    long Request,
    double OverQuotaWeight,
    int Priority,
    double Usage,
    DateTimeOffset CreationTimestamp,
    string Uid);
