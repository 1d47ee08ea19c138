namespace AnnLab.Data;

/// <summary>
/// How <see cref="ImageFolderSource"/> reads image files. The core library decodes no image format
/// itself (it depends on no imaging library): AnnLab.Plots supplies the SkiaSharp reader,
/// <c>AnnLab.Plots.ImageFiles.FolderReader</c>, and <c>ImageFiles.UseForImageFolders()</c> makes it
/// <see cref="ImageFolderSource.DefaultReader"/>, as the annlab program does at start-up.
/// </summary>
/// <param name="ReadSize">
/// The image's width and height in pixels as shown (after any EXIF orientation), read from its
/// header without decoding its pixels; throws <see cref="InvalidDataException"/> naming the file when
/// it is not an image the reader decodes.
/// </param>
/// <param name="Read">
/// The image decoded and prepared for a canvas of the given shape as <see cref="ImagePreparation"/>
/// prepares images for <c>annlab predict</c> (grayscale BT.601, alpha over white, inversion from the
/// border, fitted and centred): rows x columns bytes, row-major; throws
/// <see cref="InvalidDataException"/> naming the file when it does not decode.
/// </param>
public sealed record ImageFileReader(Func<string, (int Width, int Height)> ReadSize, Func<string, ImageShape, byte[]> Read);
