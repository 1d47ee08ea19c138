namespace AnnLab.Network;

/// <summary>
/// Random numbers from a counter rather than a sequence: the value for (seed, step, key) is the
/// SplitMix64 finalizer (Steele, Lea and Flood, OOPSLA 2014) of their combination, so any thread
/// can draw it in any order and get the same number. Dropout and augmentation draw from it.
/// </summary>
internal static class CounterRandom
{
    public static ulong Next(ulong seed, ulong step, ulong key)
    {
        ulong x = (seed * 0x9E3779B97F4A7C15UL) ^ (step * 0xD1B54A32D192ED03UL) ^ key;
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return x;
    }

    /// <summary>A double uniform in [0, 1).</summary>
    public static double Uniform(ulong seed, ulong step, ulong key) => (Next(seed, step, key) >> 11) * (1.0 / (1UL << 53));
}
