using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Plots;
using AnnLab.Tests.Plots;

namespace AnnLab.Tests.Data;

/// <summary>Turning a user's image into a model's input: luma, alpha over white, inversion, area scaling, centring.</summary>
public class ImagePreparationTests
{
    private static readonly int[] Canvas8 = [8, 8];

    [Fact]
    public void Luma_is_bt601_and_alpha_is_composited_over_white()
    {
        // 8 x 8 pixels of one colour each; only pixel (0, 0) is looked at: no scaling (8 x 8 onto 8 x 8), no inversion.
        static byte First(byte r, byte g, byte b, byte a)
        {
            byte[] rgba = Enumerable.Range(0, 64).SelectMany(_ => new[] { r, g, b, a }).ToArray();
            return ImagePreparation.FromRgba(rgba, 8, 8, Canvas8, Inversion.Never).Pixels[0];
        }

        Assert.Equal(76, First(255, 0, 0, 255));   // 0.299 x 255 = 76.245
        Assert.Equal(150, First(0, 255, 0, 255));  // 0.587 x 255 = 149.685
        Assert.Equal(29, First(0, 0, 255, 255));   // 0.114 x 255 = 29.07
        Assert.Equal(255, First(0, 0, 0, 0));      // fully transparent: the white behind it
        Assert.Equal(165, First(255, 0, 0, 128));  // (128 x 76.245 + 127 x 255) / 255 = 165.27
    }

    [Fact]
    public void A_light_border_inverts_with_auto_and_a_dark_one_does_not()
    {
        // A white 8 x 8 image with a black 4 x 4 square in the middle: border mean 255.
        byte[] gray = Enumerable.Range(0, 64).Select(i => (byte)(i / 8 is >= 2 and < 6 && i % 8 is >= 2 and < 6 ? 0 : 255)).ToArray();
        PreparedImage light = ImagePreparation.FromGray(gray, 8, 8, Canvas8, Inversion.Auto);
        Assert.True(light.Inverted);
        Assert.Equal(255.0, light.BorderLuminance);
        Assert.Equal(gray.Select(p => (byte)(255 - p)), light.Pixels);

        PreparedImage dark = ImagePreparation.FromGray(light.Pixels, 8, 8, Canvas8, Inversion.Auto);
        Assert.False(dark.Inverted);
        Assert.Equal(light.Pixels, dark.Pixels);
        Assert.True(ImagePreparation.FromGray(light.Pixels, 8, 8, Canvas8, Inversion.Always).Inverted);
        Assert.False(ImagePreparation.FromGray(gray, 8, 8, Canvas8, Inversion.Never).Inverted);
    }

    [Fact]
    public void A_wide_image_is_averaged_down_to_fit_and_centred_vertically()
    {
        // 16 x 8 (width x height) onto an 8 x 8 canvas: scale 1/2, so 8 x 4, each pixel the mean of a 2 x 2 block,
        // placed at rows 2..5; rows 0, 1, 6, 7 stay black. Source pixel (x, y) = 10 x + y.
        byte[] gray = new byte[16 * 8];
        for (int y = 0; y < 8; y++)
        {
            for (int x = 0; x < 16; x++)
            {
                gray[(y * 16) + x] = (byte)((10 * x) + y);
            }
        }

        PreparedImage p = ImagePreparation.FromGray(gray, 16, 8, Canvas8, Inversion.Never);
        Assert.Equal((8, 4), (p.FittedWidth, p.FittedHeight));
        Assert.All(p.Pixels[..16].Concat(p.Pixels[48..]), v => Assert.Equal(0, v));
        // Output (x, y) is the mean of source columns 2x, 2x + 1 and rows 2y, 2y + 1:
        // 10 (2x + 0.5) + (2y + 0.5) = 20x + 2y + 5.5; (0, 0) is the mean of 0, 1, 10, 11.
        for (int y = 0; y < 4; y++)
        {
            for (int x = 0; x < 8; x++)
            {
                double mean = (20 * x) + (2 * y) + 5.5;
                Assert.Equal((byte)Math.Round(mean), p.Pixels[((2 + y) * 8) + x]);
            }
        }
    }

    [Fact]
    public void A_tall_image_is_centred_horizontally_on_a_non_square_canvas()
    {
        // 10 x 20 of white onto [rows 10, columns 12]: scale min(12/10, 10/20) = 1/2, so 5 x 10 at columns 3..7.
        PreparedImage p = ImagePreparation.FromGray(Enumerable.Repeat((byte)200, 200).ToArray(), 10, 20, [10, 12], Inversion.Never);
        Assert.Equal((10, 12, 5, 10), (p.Rows, p.Columns, p.FittedWidth, p.FittedHeight));
        for (int y = 0; y < 10; y++)
        {
            for (int x = 0; x < 12; x++)
            {
                Assert.Equal(x is >= 3 and < 8 ? 200 : 0, p.Pixels[(y * 12) + x]);
            }
        }
    }

    [Fact]
    public void An_image_of_the_canvas_size_is_left_as_it_is()
    {
        byte[] gray = Enumerable.Range(0, 28 * 28).Select(i => (byte)(i * 37 % 101)).ToArray();
        Assert.Equal(gray, ImagePreparation.FromGray(gray, 28, 28, [28, 28], Inversion.Never).Pixels);
    }

    [Fact]
    public void Too_small_images_and_shapes_that_are_not_images_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ImagePreparation.FromGray(new byte[7 * 8], 7, 8, [28, 28], Inversion.Auto));
        Assert.Equal("expected an image of at least 8 x 8 pixels, got 7 x 8", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImagePreparation.FromGray(new byte[64], 8, 8, [784], Inversion.Auto));
        Assert.StartsWith("expected an image input shape [rows, columns], got [784]", e.Message);
        Assert.Throws<ArgumentException>(() => ImagePreparation.FromRgba(new byte[63], 4, 4, [8, 8], Inversion.Auto));
    }

    [Fact]
    public void An_rgba_file_with_a_transparent_background_reads_as_the_rgb_file_on_white()
    {
        string dir = TestPaths.NewTempDirectory();
        var rgb = new byte[20 * 16 * 3];
        var rgba = new byte[20 * 16 * 4];
        for (int p = 0; p < 20 * 16; p++)
        {
            bool inside = p % 20 is >= 5 and < 15 && p / 20 is >= 4 and < 12;
            (byte r, byte g, byte b) = inside ? ((byte)(p % 97), (byte)40, (byte)200) : ((byte)255, (byte)255, (byte)255);
            (rgb[3 * p], rgb[(3 * p) + 1], rgb[(3 * p) + 2]) = (r, g, b);
            // Outside: transparent, with a colour that must not show.
            (rgba[4 * p], rgba[(4 * p) + 1], rgba[(4 * p) + 2], rgba[(4 * p) + 3]) = inside ? (r, g, b, (byte)255) : ((byte)0, (byte)255, (byte)0, (byte)0);
        }

        string rgbPath = Path.Combine(dir, "rgb.png"), rgbaPath = Path.Combine(dir, "rgba.png");
        TestImages.RgbPng(rgbPath, rgb, 20, 16);
        TestImages.RgbaPng(rgbaPath, rgba, 20, 16);
        PreparedImage fromRgb = ImageFiles.Read(rgbPath, [28, 28]);
        PreparedImage fromRgba = ImageFiles.Read(rgbaPath, [28, 28]);
        Assert.True(fromRgb.Inverted);
        Assert.Equal(fromRgb, fromRgba with { Pixels = fromRgb.Pixels });
        Assert.Equal(fromRgb.Pixels, fromRgba.Pixels);
        Assert.Equal((28, 22), (fromRgb.FittedWidth, fromRgb.FittedHeight)); // 20 x 16 scaled by 1.4
    }

    [Fact]
    public void A_gray_png_reads_back_exactly()
    {
        string path = Path.Combine(TestPaths.NewTempDirectory(), "gray.png");
        byte[] gray = Enumerable.Range(0, 28 * 28).Select(i => (byte)(i * 13 % 256)).ToArray();
        TestImages.GrayPng(path, gray, 28, 28);
        Assert.Equal(gray, ImageFiles.Read(path, [28, 28], Inversion.Never).Pixels);
    }

    [Fact]
    public void The_readme_lines_predict_a_file_as_its_pixels()
    {
        string dir = TestPaths.NewTempDirectory();
        ImageSet images = FashionMnist.Open(TestPaths.DataDirectory).Load(2).Images;
        var network = new NeuralNetwork([28, 28], [new DenseSpec(8), new ActivationSpec(new Sigmoid()), new DenseSpec(10)], OutputLayers.Sigmoid);
        var parameters = new float[network.ParameterCount];
        network.Initialize<float>(parameters, 0.12, seed: 1);
        string modelPath = Path.Combine(dir, "model.annlab");
        ModelFile.Save(new Model(network, parameters, FashionMnist.ClassNames), modelPath);
        string shirt = Path.Combine(dir, "shirt.png");
        TestImages.GrayPng(shirt, images.Image(1), 28, 28);

        Model model = ModelFile.Load(modelPath);
        float[] probabilities = model.PredictProbabilities(shirt);
        Assert.Equal(model.PredictProbabilities(images.Image(1)), probabilities);
        Assert.Equal(model.Predict(images.Image(1)), model.Predict(shirt));
    }

    [Fact]
    public void A_jpeg_is_turned_as_its_exif_orientation_says()
    {
        // 16 x 8, left half white, right half black, saved as JPEG with EXIF orientation 6 (shown turned 90 degrees
        // clockwise, as a phone held upright writes it): shown 8 x 16, the stored left column becomes the top row.
        string dir = TestPaths.NewTempDirectory();
        string plain = Path.Combine(dir, "plain.jpg");
        byte[] gray = Enumerable.Range(0, 16 * 8).Select(i => (byte)(i % 16 < 8 ? 255 : 0)).ToArray();
        TestImages.UpscaledRgbJpeg(plain, gray, 16, 8, 16, 8);
        byte[] jpeg = File.ReadAllBytes(plain);
        byte[] exif =
        [
            0xFF, 0xE1, 0x00, 0x22, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,  // APP1, length 34, "Exif\0\0"
            (byte)'I', (byte)'I', 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00,                 // TIFF little-endian, IFD at 8
            0x01, 0x00, 0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, // 1 entry: 0x0112 SHORT 1 = 6
            0x00, 0x00, 0x00, 0x00,                                                   // no next IFD
        ];
        string turned = Path.Combine(dir, "turned.jpg");
        File.WriteAllBytes(turned, [.. jpeg[..2], .. exif, .. jpeg[2..]]);

        (byte[] rgba, int width, int height) = ImageFiles.Decode(plain);
        Assert.Equal((16, 8), (width, height));
        Assert.True(rgba[0] > 200 && rgba[(15 * 4)] < 50);
        (rgba, width, height) = ImageFiles.Decode(turned);
        Assert.Equal((8, 16), (width, height));
        Assert.True(rgba[0] > 200 && rgba[(7 * 4)] > 200, "the top row: the stored left column, white");
        Assert.True(rgba[15 * 8 * 4] < 50 && rgba[((15 * 8) + 7) * 4] < 50, "the bottom row: the stored right column, black");
    }
}
