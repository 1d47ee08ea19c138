// Lab part 3: the network by hand. The unrolled parameter vector theta, the forward pass, the cost J
// with its L2 term (which skips the biases) and the gradient by backpropagation, written out in plain
// C# on the lab's matrices, next to the library's result; then the gradient check.
// Run: dotnet run labs/03-network.cs  (from the repository's root; or dotnet run 03-network.cs in labs/)
#:project ../src/AnnLab.Plots/AnnLab.Plots.csproj

using AnnLab.Data;
using AnnLab.Network;
using AnnLab.Plots;
using AnnLab.Training;

var lab = new TrainingOptions(); // m = 5000, 80 % training, 25 hidden sigmoid units, lambda 1, epsilon_init 0.12, seed 1
(_, DatasetSource source) = DatasetSources.Open(new DataRequest());
Dataset data = source.LoadFor(SplitKind.Lab, lab.Samples);
ImageSet train = data.Split(SplitKind.Lab, lab.Samples, lab.TrainFraction, lab.Seed).Train;
int inputs = train.Features, hidden = lab.Hidden[0], classes = data.ClassNames.Count, m = train.Count;

// X (m x inputs) = pixels / 255, y = labels, as the lab's NumPy code makes them.
var x = new double[m, inputs];
var y = train.Labels.ToArray();
for (int i = 0; i < m; i++)
{
    ReadOnlySpan<byte> image = train.Image(i);
    for (int p = 0; p < inputs; p++)
    {
        x[i, p] = image[p] / 255.0;
    }
}

// The library's network and its random start, then the same numbers as the lab's unrolled theta:
// Theta1 ((inputs + 1) x hidden) flattened row by row, then Theta2 ((hidden + 1) x classes); row 0 = biases.
var network = new NeuralNetwork([inputs, hidden, classes], lab.Activation, inputShape: source.Shape.Dimensions);
var parameters = new double[network.ParameterCount];
new UniformInitializer(lab.InitEpsilon).Initialize<double>(network, parameters, lab.Seed);
double[,] theta1 = network.ToLabMatrix<double>(parameters, 0), theta2 = network.ToLabMatrix<double>(parameters, 1);
double[] theta = [.. theta1.Cast<double>(), .. theta2.Cast<double>()];
Console.WriteLine($"network: {network}; X_train {m} x {inputs}, y_train {m}");
Console.WriteLine($"theta: {theta.Length} values = Theta1 {theta1.GetLength(0)} x {theta1.GetLength(1)} ({theta1.Length}) + Theta2 {theta2.GetLength(0)} x {theta2.GetLength(1)} ({theta2.Length}), uniform in [-{lab.InitEpsilon}, {lab.InitEpsilon}], seed {lab.Seed}");
Console.WriteLine($"theta[0..4] = {string.Join(" ", theta[..5].Select(v => v.ToString("F6")))}");

var (h, _, _) = Forward(theta, x);
Console.WriteLine($"forward pass: h is {h.GetLength(0)} x {h.GetLength(1)}; h of image 0 = [{string.Join(" ", Enumerable.Range(0, classes).Select(k => h[0, k].ToString("F4")))}]");
Console.WriteLine();

foreach (double lambda in new[] { 0.0, lab.Lambda })
{
    double mine = Cost(theta, x, y, lambda);
    double[] myGradient = Gradient(theta, x, y, lambda);

    // The library: J and its gradient in its own layout (weights fanOut x fanIn, then biases), turned into the lab's.
    using var library = new DatasetObjective<double>(network, train, lambda, lab.Threads);
    var gradient = new double[network.ParameterCount];
    double theirs = library.Evaluate(parameters, gradient);
    double[] libraryGradient = [.. network.ToLabMatrix<double>(gradient, 0).Cast<double>(), .. network.ToLabMatrix<double>(gradient, 1).Cast<double>()];
    double largest = myGradient.Zip(libraryGradient, (a, b) => Math.Abs(a - b)).Max();
    Console.WriteLine($"lambda {lambda}: J by hand {mine:F10}, library {theirs:F10} (difference {Math.Abs(mine - theirs):E1})");
    Console.WriteLine($"          gradient: ||g|| by hand {Norm(myGradient):F10}, library {Norm(libraryGradient):F10}; largest |difference| {largest:E1}");
}

// The gradient check (the lab's checkNNGradients): central differences of J against backpropagation.
// On the full network, for 10 parameters picked at random (biases and weights of both layers), over the
// first 100 training images:
Console.WriteLine();
const double step = 1e-5;
int few = 100;
double[,] xFew = new double[few, inputs];
Buffer.BlockCopy(x, 0, xFew, 0, few * inputs * sizeof(double));
byte[] yFew = y[..few];
double[] backprop = Gradient(theta, xFew, yFew, lab.Lambda);
var pick = new Random(lab.Seed);
double differences = 0, sums = 0;
Console.WriteLine($"gradient check on {few} images, lambda {lab.Lambda}, h = {step:0e0}: index, parameter, numerical, backpropagation");
foreach (int i in new[] { 0, theta1.GetLength(1) * 300 + 7, theta1.Length, theta1.Length + 13 }.Concat(Enumerable.Range(0, 6).Select(_ => pick.Next(theta.Length))))
{
    double saved = theta[i];
    theta[i] = saved + step;
    double plus = Cost(theta, xFew, yFew, lab.Lambda);
    theta[i] = saved - step;
    double minus = Cost(theta, xFew, yFew, lab.Lambda);
    theta[i] = saved;
    double numerical = (plus - minus) / (2 * step);
    differences += (numerical - backprop[i]) * (numerical - backprop[i]);
    sums += (numerical + backprop[i]) * (numerical + backprop[i]);
    string what = i < theta1.Length ? $"Theta1[{i / hidden}, {i % hidden}]" : $"Theta2[{(i - theta1.Length) / classes}, {(i - theta1.Length) % classes}]";
    Console.WriteLine($"  {i,5} {what,-16} {numerical,14:E6} {backprop[i],14:E6}");
}

Console.WriteLine($"||numerical - backpropagation|| / ||numerical + backpropagation|| = {Math.Sqrt(differences / sums):E2} (below 1e-7: the gradient is right)");

// And the library's own check, on a 4-5-3 network with 3 samples, for every parameter:
foreach (double lambda in new[] { 0.0, lab.Lambda })
{
    GradientCheckResult check = GradientCheck.Run(lab.Activation, lambda);
    Console.WriteLine($"library's GradientCheck, {string.Join("-", check.LayerSizes)} {check.Activation}, {check.Samples} samples, lambda {lambda}: ||g_num - g_bp|| / ||g_num + g_bp|| = {check.RelativeError:E2}");
}

// The gradient of J with respect to each hidden unit's incoming weights at the random start, drawn
// as images: where backpropagation first moves each unit's weights (red: the weight goes down).
var startGradient = new double[network.ParameterCount];
using (var atStart = new DatasetObjective<double>(network, train, lab.Lambda, lab.Threads))
{
    atStart.Evaluate(parameters, startGradient);
}

string output = Directory.CreateDirectory(Path.Combine("lab-output", "03-network")).FullName;
string figure = Path.Combine(output, "start-gradient.png");
float[] weightGradient = [.. network.Weights<double>(startGradient, 0).ToArray().Select(v => (float)v)];
Figures.HiddenWeights(figure, weightGradient, hidden, train.Rows, train.Columns, $"dJ/dW at the random start: the gradient of each of the {hidden} hidden units' {inputs} incoming weights", valueName: "dJ/dW");
Console.WriteLine();
Console.WriteLine($"figure in {output}: {Path.GetFileName(figure)}");

static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

static double Norm(double[] v) => Math.Sqrt(v.Sum(a => a * a));

// TASK: write the forward pass, the cost J and its gradient by backpropagation for the lab's
// network on the unrolled theta (Ng's Machine Learning, exercise 4, nnCostFunction):
//   a1 = [1, x], z2 = a1 Theta1, a2 = [1, g(z2)], z3 = a2 Theta2, h = g(z3)
//   J = -1/m sum_i sum_k [y_ik log h_ik + (1 - y_ik) log(1 - h_ik)] + lambda/(2m) (sum Theta1[1:]^2 + sum Theta2[1:]^2)
//   (y_ik = 1 when image i is of class k; the L2 term skips row 0, the biases)
//   delta3 = h - y, delta2 = (delta3 Theta2[1:]^T) .* a2 (1 - a2) (without a2's bias column)
//   Theta1_grad = a1^T delta2 / m, Theta2_grad = a2^T delta3 / m, plus lambda/m Theta outside row 0.
// An answer:
(double[,] H, double[,] A1, double[,] A2) Forward(double[] t, double[,] xs)
{
    int rows = xs.GetLength(0);
    var a1 = new double[rows, inputs + 1];
    var a2 = new double[rows, hidden + 1];
    var hs = new double[rows, classes];
    for (int i = 0; i < rows; i++)
    {
        a1[i, 0] = 1;
        for (int p = 0; p < inputs; p++)
        {
            a1[i, p + 1] = xs[i, p];
        }

        a2[i, 0] = 1;
        for (int j = 0; j < hidden; j++)
        {
            double z2 = 0;
            for (int p = 0; p <= inputs; p++)
            {
                z2 += a1[i, p] * t[(p * hidden) + j]; // Theta1[p, j]
            }

            a2[i, j + 1] = Sigmoid(z2);
        }

        int offset = (inputs + 1) * hidden;
        for (int k = 0; k < classes; k++)
        {
            double z3 = 0;
            for (int j = 0; j <= hidden; j++)
            {
                z3 += a2[i, j] * t[offset + (j * classes) + k]; // Theta2[j, k]
            }

            hs[i, k] = Sigmoid(z3);
        }
    }

    return (hs, a1, a2);
}

double Cost(double[] t, double[,] xs, byte[] labels, double lambda)
{
    int rows = xs.GetLength(0);
    var (hs, _, _) = Forward(t, xs);
    double sum = 0;
    for (int i = 0; i < rows; i++)
    {
        for (int k = 0; k < classes; k++)
        {
            sum -= labels[i] == k ? Math.Log(hs[i, k]) : Math.Log(1 - hs[i, k]);
        }
    }

    double squares = 0;
    for (int r = 0; r < t.Length; r++)
    {
        bool bias = r < (inputs + 1) * hidden ? r < hidden : r - ((inputs + 1) * hidden) < classes; // row 0 of Theta1 or Theta2
        squares += bias ? 0 : t[r] * t[r];
    }

    return (sum / rows) + (lambda / (2.0 * rows) * squares);
}

double[] Gradient(double[] t, double[,] xs, byte[] labels, double lambda)
{
    int rows = xs.GetLength(0), offset = (inputs + 1) * hidden;
    var (hs, a1, a2) = Forward(t, xs);
    var g = new double[t.Length];
    var delta3 = new double[classes];
    var delta2 = new double[hidden];
    for (int i = 0; i < rows; i++)
    {
        for (int k = 0; k < classes; k++)
        {
            delta3[k] = hs[i, k] - (labels[i] == k ? 1 : 0);
        }

        for (int j = 0; j < hidden; j++)
        {
            double back = 0;
            for (int k = 0; k < classes; k++)
            {
                back += delta3[k] * t[offset + ((j + 1) * classes) + k]; // Theta2[j + 1, k]
            }

            delta2[j] = back * a2[i, j + 1] * (1 - a2[i, j + 1]);
        }

        for (int j = 0; j <= hidden; j++)
        {
            for (int k = 0; k < classes; k++)
            {
                g[offset + (j * classes) + k] += a2[i, j] * delta3[k];
            }
        }

        for (int p = 0; p <= inputs; p++)
        {
            for (int j = 0; j < hidden; j++)
            {
                g[(p * hidden) + j] += a1[i, p] * delta2[j];
            }
        }
    }

    for (int r = 0; r < t.Length; r++)
    {
        bool bias = r < offset ? r < hidden : r - offset < classes;
        g[r] = (g[r] / rows) + (bias ? 0 : lambda / rows * t[r]);
    }

    return g;
}
