using Pipeline.Engine;
using Pipeline.Tools.S3;
using System.Diagnostics;
using System.Text;

namespace Pipeline.Deploying.Locking;

/// <summary>
/// Mutual exclusion over an object store that guarantees only strong read-after-write and list-after-write
/// consistency (S3 since 2020; s3rver, which ignores <c>If-None-Match</c> and <c>If-Match</c>), used to make every
/// change of a lock object a compare-and-swap. One turn:
/// <list type="number">
/// <item>PUT a claim <c>&lt;key&gt;.claims/&lt;utc&gt;-&lt;random&gt;-&lt;attempt&gt;</c>, a new key each attempt (never
/// overwritten).</item>
/// <item>LIST <c>&lt;key&gt;.claims/</c>. Only if our claim is the only live one there do we hold the turn. Otherwise DELETE it,
/// wait a pause (short for the earliest claim seen, random and growing for the others), and claim anew.</item>
/// <item>Holding the turn: read, compare, write the lock object (see <see cref="ObjectStoreLockStore"/>); then DELETE the claim.</item>
/// </list>
/// Why two claimants A and B never both hold it: say A's LIST started before B's. B's LIST started after B's PUT
/// completed and after A's PUT completed (A listed only after its PUT), so it lists A's claim unless A already deleted
/// it, that is, A's turn is over. The second to list always sees the first, and yields. Racers can all yield in the same
/// round; the random pauses make one of them list alone soon after.
/// A claim left by a process that died would block every turn: a claim is abandoned (ignored and deleted) once this
/// process has seen it in its listings for <see cref="ClaimLease"/> by its own monotonic clock, or when its
/// LastModified is over an hour old (no two machines' clocks are compared closely). So a turn never writes after
/// <see cref="TurnBudget"/> (a third of the lease) has passed since its claim: it stops with an error instead.
/// A store that keeps keys as files in folders (s3rver) removes a folder with its last object, and dies when a PUT
/// into that folder races the removal; the claims' folder therefore always holds <see cref="Keeper"/>, put before this
/// process's first claim and never deleted.
/// </summary>
public sealed class ClaimTurns(IObjectStore store, string lockKey)
{
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan TurnBudget = ClaimLease / 3;
    private static readonly TimeSpan GiveUp = ClaimLease * 2;
    private static readonly TimeSpan Ancient = TimeSpan.FromHours(1);

    public const string Keeper = ".keep";
    private readonly string _prefix = lockKey + ".claims/";
    private bool _kept;
    private readonly Dictionary<string, TimeSpan> _firstSeen = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly byte[] _claimant = Encoding.UTF8.GetBytes(
        $"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId}"
    );

    /// <summary>
    /// Runs <paramref name="turn"/> while holding the only live claim (its token ends at <see cref="TurnBudget"/>) and
    /// returns its answer; false at once, with no turn, when <paramref name="worthTrying"/> (a look without a turn, asked
    /// before each attempt) says the change would fail anyway. Only the look inside the turn decides a success.
    /// </summary>
    public async Task<bool> RunAsync(
        Func<CancellationToken, Task<bool>> worthTrying,
        Func<CancellationToken, Task<bool>> turn,
        CancellationToken ct
    )
    {
        var waiting = Stopwatch.StartNew();
        // One ticket per turn, kept across attempts (each attempt's key is still new): the earliest ticket seen retries first.
        var ticket =
            $"{_prefix}{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmssfff'Z'}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))}";
        if (!_kept) await store.PutAsync(_prefix + Keeper, "keeps this folder on stores that keep objects as files"u8.ToArray(), ct);
        _kept = true;
        for (var attempt = 0; ; attempt++)
        {
            var first = false;
            if (!await worthTrying(ct)) return false;
            var claim = $"{ticket}-{attempt:D4}";
            var started = Stopwatch.StartNew();
            await store.PutAsync(claim, _claimant, ct);
            try
            {
                var others = await LiveClaimsAsync(claim, ct);
                if (others.Count == 0 && started.Elapsed < TurnBudget / 2)
                {
                    using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    budget.CancelAfter(TurnBudget - started.Elapsed);
                    try { return await turn(budget.Token); }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        throw new PipelineException(
                            $"The deploy lock {lockKey}: the store took over {TurnBudget.TotalSeconds:0} s inside one compare-and-swap, "
                                + "so other deployers may take the claim as abandoned; stopped. Try again when the store answers promptly."
                        );
                    }
                }
                first = others.All(o => string.CompareOrdinal(o, claim) > 0);
                if (waiting.Elapsed > GiveUp)
                    throw new PipelineException(
                        $"The deploy lock {lockKey}: other claims ({string.Join(", ", others.Select(o => o[_prefix.Length..]))}) kept it "
                        + $"busy for "
                            + $"{waiting.Elapsed.TotalSeconds:0} s. Are many deploys racing? Try again."
                    );
            }
            finally
            {
                await store.DeleteAsync(claim, CancellationToken.None);
            }
            // The earliest claim seen comes back soonest, the others later and later: racers do not collide in step.
            await Task.Delay(
                TimeSpan.FromMilliseconds(first ? Random.Shared.Next(1, 5) : Random.Shared.Next(10, 20 << Math.Min(attempt, 6))),
                ct
            );
        }
    }

    /// <summary>The other claims listed now, less abandoned ones (which are deleted).</summary>
    private async Task<List<string>> LiveClaimsAsync(string mine, CancellationToken ct)
    {
        var others = new List<string>();
        var now = _clock.Elapsed;
        await foreach (var claim in store.ListAsync(_prefix, ct))
        {
            if (claim.Key == mine || claim.Key == _prefix + Keeper) continue;
            TimeSpan seen;
            lock (_firstSeen) seen = _firstSeen.TryGetValue(claim.Key, out var first) ? first : _firstSeen[claim.Key] = now;
            if (
                now - seen > ClaimLease
                || (claim.LastModified > DateTimeOffset.MinValue && DateTimeOffset.UtcNow - claim.LastModified > Ancient)
            )
            {
                Log.Warning(
                    $"Removing the abandoned claim {claim.Key} on the deploy lock (seen for {(now - seen).TotalSeconds:0} s, written "
                    + $"{claim.LastModified:yyyy-MM-dd HH:mm:ss}Z)."
                );
                await store.DeleteAsync(claim.Key, ct);
                continue;
            }
            others.Add(claim.Key);
        }
        return others;
    }
}
