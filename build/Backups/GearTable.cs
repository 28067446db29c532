namespace Pipeline.Backups;

/// <summary>
/// The 256 random 64-bit values FastCDC's gear hash adds, one per byte value. Fixed for ever: they decide where
/// chunks are cut, so other values would cut the same data elsewhere and nothing stored before would deduplicate.
/// They are the first 256 outputs of SplitMix64 seeded with the ASCII bytes of "PIPELINE" (0x5049_5045_4C49_4E45),
/// computed once; a unit test pins the first and the last.
/// </summary>
public static class GearTable
{
    public const ulong Seed = 0x5049_5045_4C49_4E45;

    public static readonly ulong[] Values = Generate();

    private static ulong[] Generate()
    {
        var values = new ulong[256];
        var state = Seed;
        for (var i = 0; i < values.Length; i++)
        {
            state += 0x9E37_79B9_7F4A_7C15;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
            values[i] = z ^ (z >> 31);
        }
        return values;
    }
}
