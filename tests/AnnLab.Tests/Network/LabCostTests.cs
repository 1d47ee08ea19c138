using AnnLab.Network;

namespace AnnLab.Tests.Network;

public class LabCostTests
{
    [Fact]
    public void Saturated_positive_output_with_target_1_costs_about_4_25e_minus_18()
    {
        // softplus(40) - 40 = log(1 + e^-40) = e^-40 to double precision = 4.248354255291589e-18
        double c = LabCost.UnitCost(40, 1);
        Assert.Equal(4.248354255291589e-18, c, 1e-30);
    }

    [Theory]
    [InlineData(40.0, 40.0)]
    [InlineData(800.0, 800.0)]
    public void Saturated_output_with_target_0_costs_z(double z, double expected)
    {
        double c = LabCost.UnitCost(z, 0);
        Assert.True(double.IsFinite(c));
        Assert.Equal(expected, c, 1e-12);
    }

    [Fact]
    public void Very_negative_output_with_target_1_costs_minus_z_not_infinity()
    {
        Assert.Equal(800.0, LabCost.UnitCost(-800, 1), 1e-12);
    }

    [Fact]
    public void Equals_the_labs_formula_where_nothing_saturates()
    {
        for (double z = -15; z <= 15; z += 0.37)
        {
            double h = 1 / (1 + Math.Exp(-z));
            foreach (double y in new[] { 0.0, 1.0 })
            {
                double lab = -((y * Math.Log(h)) + ((1 - y) * Math.Log(1 - h)));
                Assert.Equal(lab, LabCost.UnitCost(z, y), 1e-9);
            }
        }
    }

    [Fact]
    public void Sample_cost_sums_units_with_one_hot_targets()
    {
        float[] z = [0.5f, -0.5f, 2f];
        double expected = LabCost.UnitCost(0.5, 0) + LabCost.UnitCost(-0.5, 0) + LabCost.UnitCost(2, 1);
        Assert.Equal(expected, LabCost.SampleCost<float>(z, 2), 1e-12);
    }
}
