using AnnLab.Data;

namespace AnnLab.Tests;

public class SmokeTests
{
    [Fact]
    public void Class_names_follow_the_dataset_order()
    {
        Assert.Equal(10, FashionMnist.ClassNames.Count);
        Assert.Equal("Shirt", FashionMnist.ClassNames[6]);
        Assert.Equal("Ankle boot", FashionMnist.ClassNames[9]);
    }
}
