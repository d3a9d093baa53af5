namespace Kai.Scheduling.Plugins.Proportion.Fairness;

/// <summary>
/// The three phases of one division over per-claim scratch owned by the caller (stack memory for the usual
/// few dozen siblings). Every amount given is an exact long in engine units. The one place rounding happens
/// is the over-quota candidate: KAI computes it in float64 KAI steps and floors it to whole steps, so it is
/// computed here as a double in steps and the floored step count is multiplied back by the unit.
/// </summary>
internal readonly ref struct DivisionState
{
    /// <summary>KAI's "unlimited" marker for deserved and limit.</summary>
    public const long Unlimited = -1;

    private readonly ReadOnlySpan<FairShareClaim> _claims;
    private readonly Span<long> _shares;
    private readonly Span<long> _requestable;

    // Fraction of a step a queue was denied by the floor in its latest floored round, in steps; 0 = no record.
    private readonly Span<double> _remainders;
    private readonly Span<double> _shareWeights;
    private readonly long _unit;
    private readonly double _kValue;

    public DivisionState(
        ReadOnlySpan<FairShareClaim> claims,
        Span<long> shares,
        Span<long> requestable,
        Span<double> remainders,
        Span<double> shareWeights,
        long unit,
        double kValue)
    {
        _claims = claims;
        _shares = shares;
        _requestable = requestable;
        _remainders = remainders;
        _shareWeights = shareWeights;
        _unit = unit;
        _kValue = kValue;

        for (var i = 0; i < claims.Length; i++)
        {
            var claim = claims[i];
            requestable[i] = claim.Limit == Unlimited ? claim.Request : Math.Min(claim.Limit, claim.Request);
        }

        remainders.Clear();
        shareWeights.Clear();
    }

    /// <summary>Phase 1: every queue gets min(deserved, requestable); returns what is left, possibly negative.</summary>
    public long GiveDeserved(long total)
    {
        var remaining = total;

        // KAI does not stop when the total runs out: every queue keeps its deserved part.
        for (var i = 0; i < _claims.Length; i++)
        {
            var deserved = _claims[i].Deserved == Unlimited ? total : _claims[i].Deserved;
            var give = Math.Min(deserved, _requestable[i]);
            _shares[i] += give;
            remaining -= give;
        }

        return remaining;
    }

    /// <summary>Phase 2 for one priority bucket: weighted rounds in whole steps; returns what is left.</summary>
    /// <summary>
    /// What queue <paramref name="i"/> gets this round for its <paramref name="candidate"/> steps: all it misses if
    /// that fits (the unused part of the candidate then calls for another round), else whole steps, keeping the
    /// fraction as its remainder.
    /// </summary>
    private long RoundShare(int i, double candidate, long missing, ref bool anotherRound)
    {
        var missingSteps = (double)missing / _unit;
        if (missingSteps <= candidate)
        {
            _remainders[i] = 0;

            // The unused part of its candidate returns to the pool for the others.
            anotherRound |= missingSteps < candidate;
            return missing;
        }

        var wholeSteps = Math.Floor(candidate);

        // A round without a fraction keeps the queue's earlier record, as in KAI.
        if (candidate > wholeSteps)
        {
            _remainders[i] = candidate - wholeSteps;
        }

        return (long)wholeSteps * _unit;
    }

    public long DivideUpToFairShare(ReadOnlySpan<int> bucket, long remaining)
    {
        // Another round only follows a round that satisfied some queue, so the rounds are bounded by the bucket size.
        while (remaining > 0)
        {
            var weightSum = ComputeShareWeights(bucket);
            if (weightSum <= 0)
            {
                break;
            }

            var roundSteps = (double)remaining / _unit;
            var anotherRound = false;
            foreach (var i in bucket)
            {
                if (remaining == 0)
                {
                    break;
                }

                var missing = Missing(i);
                if (missing == 0 || _claims[i].OverQuotaWeight == 0)
                {
                    continue;
                }

                var give = RoundShare(i, roundSteps * (_shareWeights[i] / weightSum), missing, ref anotherRound);

                // Normalised weights can sum to a hair over 1 in floating point; never give what is not there.
                give = Math.Min(give, remaining);
                _shares[i] += give;
                remaining -= give;
            }

            if (!anotherRound)
            {
                break;
            }
        }

        return remaining;
    }

    /// <summary>
    /// Phase 3 for one bucket: queues that were denied a fraction get one step each (or what is left),
    /// largest fraction first, then older creation, then UID; returns what is left.
    /// </summary>
    public long GiveLeftovers(ReadOnlySpan<int> bucket, long remaining)
    {
        while (remaining > 0)
        {
            var next = -1;
            foreach (var i in bucket)
            {
                if (_remainders[i] > 0 && (next < 0 || TakesLeftoverBefore(i, next)))
                {
                    next = i;
                }
            }

            if (next < 0)
            {
                break;
            }

            // Like KAI, the step is not capped by the queue's remaining request or limit.
            var give = Math.Min(_unit, remaining);
            _shares[next] += give;
            remaining -= give;
            _remainders[next] = 0;
        }

        return remaining;
    }

    // Requestable not yet given; 0 means satisfied (by request or by limit).
    private long Missing(int index) => Math.Max(0, _requestable[index] - _shares[index]);

    // Weights are normalised over the bucket's unsatisfied queues, then shifted by kValue against usage.
    // With no usage data the shift is a common factor (1 + kValue) and cancels in the caller's ratio.
    private double ComputeShareWeights(ReadOnlySpan<int> bucket)
    {
        var totalWeight = 0.0;
        foreach (var i in bucket)
        {
            if (Missing(i) > 0)
            {
                totalWeight += _claims[i].OverQuotaWeight;
            }
        }

        if (totalWeight == 0)
        {
            return 0;
        }

        var sum = 0.0;
        foreach (var i in bucket)
        {
            if (Missing(i) == 0)
            {
                _shareWeights[i] = 0;
                continue;
            }

            var normalized = _claims[i].OverQuotaWeight / totalWeight;
            var shareWeight = Math.Max(0, normalized + (_kValue * (normalized - _claims[i].Usage)));
            _shareWeights[i] = shareWeight;
            sum += shareWeight;
        }

        return sum;
    }

    private bool TakesLeftoverBefore(int candidate, int current)
    {
        if (_remainders[candidate] != _remainders[current])
        {
            return _remainders[candidate] > _remainders[current];
        }

        var created = _claims[candidate].CreationTimestamp.CompareTo(_claims[current].CreationTimestamp);
        if (created != 0)
        {
            return created < 0;
        }

        return string.CompareOrdinal(_claims[candidate].Uid, _claims[current].Uid) < 0;
    }
}
