// Lab part 2: activation functions g(z) and their derivatives g'(z).
// Run: dotnet run labs/02-activations.cs  (from the repository's root; or dotnet run 02-activations.cs in labs/)
// Prints the sigmoid and its gradient at the lab's test points, every activation at a few z with a
// check of its derivative against central differences; draws every activation and its derivative.
#:project ../src/AnnLab.Plots/AnnLab.Plots.csproj

using AnnLab.Network;
using AnnLab.Plots;

IActivation sigmoid = Activations.Get("sigmoid");
double[] z = [-1, -0.5, 0, 0.5, 1];
Console.WriteLine($"z                  = [{Show(z)}]");
Console.WriteLine($"sigmoid(z)         = [{Show(z.Select(sigmoid.Value))}]");

// TASK: write the sigmoid's gradient g'(z) = g(z) (1 - g(z)) yourself, in terms of g(z)
// (Ng's Machine Learning, exercise 4, sigmoidGradient; the lab's expected output at z = 0 is 0.25).
// An answer:
static double SigmoidGradient(double z)
{
    double g = 1.0 / (1.0 + Math.Exp(-z));
    return g * (1 - g);
}

Console.WriteLine($"your g'(z)         = [{Show(z.Select(SigmoidGradient))}]");
Console.WriteLine($"library's g'(z)    = [{Show(z.Select(sigmoid.Derivative))}]");
Console.WriteLine($"largest difference: {z.Max(v => Math.Abs(SigmoidGradient(v) - sigmoid.Derivative(v))):E2}");

// Every hidden activation the library has: g and g' at a few z, and g' against the central
// difference (g(z + h) - g(z - h)) / 2h over z in [-5, 5] (away from kinks at 0, where one-sided
// slopes differ: ReLU and leaky ReLU).
double[] points = [-2, -1, 0, 1, 2];
Console.WriteLine();
Console.WriteLine($"{"activation",-11} {"g(z) at z = " + string.Join(", ", points),-49} {"g'(z) at the same z",-49} max |g' - numeric|");
foreach (IActivation activation in Activations.Available)
{
    const double h = 1e-5;
    double worst = 0;
    for (int i = 0; i <= 400; i++)
    {
        double at = -5 + (i * 0.025) + 0.0125;
        double numeric = (activation.Value(at + h) - activation.Value(at - h)) / (2 * h);
        worst = Math.Max(worst, Math.Abs(activation.Derivative(at) - numeric));
    }

    Console.WriteLine($"{activation.Name,-11} {Show(points.Select(activation.Value)),-49} {Show(points.Select(activation.Derivative)),-49} {worst:E1}");
}

string output = Directory.CreateDirectory(Path.Combine("lab-output", "02-activations")).FullName;
string path = Path.Combine(output, "activations.png");
Figures.Activations(path, Activations.Available);
Console.WriteLine();
Console.WriteLine($"figure in {output}: {Path.GetFileName(path)} (every activation, solid, and its derivative, dashed, over z in [-5, 5])");

static string Show(IEnumerable<double> values) => string.Join(" ", values.Select(v => v.ToString("F6").PadLeft(9)));
