using static OpenHip.Modules.Mpi.Domain.Matching.FieldLevels;

namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// What reviewers decided, as labelled comparison patterns: an accepted pair is a known match, a rejected one a known
/// non-match. Folded into the fitted m (accepted) and u (rejected) as counts on top of the estimate, which itself
/// weighs <see cref="EstimateWeight"/> pairs: a handful of decisions nudge the model, many decisions steer it, and a
/// field the reviewers keep overruling loses its weight. Thread-safe.
/// </summary>
internal sealed class ReviewFeedback
{
    /// <summary>How many labelled pairs the unlabelled estimate is worth.</summary>
    public const double EstimateWeight = 100;

    private readonly Lock _gate = new();
    private readonly PatternCounts _accepted = new();
    private readonly PatternCounts _rejected = new();

    /// <summary>Changes with every decision, so a cached model knows it is stale.</summary>
    public int Version { get; private set; }

    public long Accepted
    {
        get
        {
            lock (_gate)
            {
                return _accepted.Total;
            }
        }
    }

    public long Rejected
    {
        get
        {
            lock (_gate)
            {
                return _rejected.Total;
            }
        }
    }

    public void Add(ulong pattern, bool accepted)
    {
        lock (_gate)
        {
            (accepted ? _accepted : _rejected).Add(pattern);
            Version++;
        }
    }

    /// <summary>The fitted probabilities with the decisions counted in (a copy; <paramref name="fitted"/> is not changed).</summary>
    public FieldProbabilities Apply(FieldProbabilities fitted)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        FieldProbabilities result = fitted.Clone();
        lock (_gate)
        {
            Blend(result.M, _accepted, result.Active);
            Blend(result.U, _rejected, result.Active);
        }

        return result;
    }

    private static void Blend(double[,] target, PatternCounts labelled, bool[] active)
    {
        for (int f = 0; f < FieldCount; f++)
        {
            if (!active[f])
            {
                continue;
            }

            var counts = new double[MaxLevels];
            double observed = 0;
            foreach ((ulong pattern, long count) in labelled.Counts)
            {
                int level = PairComparer.Level(pattern, f);
                if (level != 0)
                {
                    counts[level] += count;
                    observed += count;
                }
            }

            if (observed == 0)
            {
                continue;
            }

            for (int level = 1; level < Count((ComparedField)f); level++)
            {
                target[f, level] = ((target[f, level] * EstimateWeight) + counts[level]) / (EstimateWeight + observed);
            }
        }
    }
}
