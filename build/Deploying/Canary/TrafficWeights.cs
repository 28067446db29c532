using Pipeline.Tools.Haproxy;

namespace Pipeline.Deploying.Canary;

/// <summary>
/// HAProxy server weights (0–256) that give the canary instances together <c>percent</c> of a backend's requests, the baseline
/// instances as much, and the group's own servers the rest, spread evenly within each role. The largest per-server share gets
/// 256, so rounding moves the shares by well under a percentage point.
/// </summary>
public sealed record TrafficWeights(int Canary, int Baseline, int Group)
{
    public static TrafficWeights For(int percent, int canaries, int baselines, int servers)
    {
        var share = percent / 100.0;
        var perCanary = canaries > 0 ? share / canaries : 0;
        var perBaseline = baselines > 0 ? share / baselines : 0;
        var groupShare = Math.Max(0, 1 - share * (canaries > 0 ? 1 : 0) - share * (baselines > 0 ? 1 : 0));
        var perServer = servers > 0 ? groupShare / servers : 0;
        var scale = HaproxyWeights.Max / Math.Max(perCanary, Math.Max(perBaseline, perServer));
        int Weight(double per) => per <= 0 ? 0 : Math.Max(1, (int)Math.Round(per * scale));
        return new TrafficWeights(Weight(perCanary), Weight(perBaseline), Weight(perServer));
    }
}
