using AnnLab.Kernels;

namespace AnnLab.Tests.Kernels;

public class PixelConversionTests
{
    [Fact]
    public void Every_byte_value_and_length_matches_the_scalar_division_bit_for_bit()
    {
        byte[] all = Enumerable.Range(0, 256).Select(b => (byte)b).Concat(Enumerable.Range(0, 100).Select(b => (byte)(255 - b))).ToArray();
        for (int length = 0; length <= all.Length; length += length < 70 ? 1 : 37)
        {
            var d = new float[length];
            PixelConversion.ToSingle(all.AsSpan(0, length), d);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(all[i] / 255f), BitConverter.SingleToInt32Bits(d[i]));
            }
        }
    }
}
