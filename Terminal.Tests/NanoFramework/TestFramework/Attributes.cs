using System;

// Desktop stand-in for nanoFramework.TestFramework (same namespace, names and signatures as the
// API list in ../Api/nf-nanoFramework.TestFramework-api.signatures.txt), so that the device test
// suite under Terminal.Tests/Device compiles unchanged for the device and for the desktop runner.
namespace nanoFramework.TestFramework
{
    /// <summary>Marks a class that holds device tests.</summary>
    [AttributeUsage(AttributeTargets.Class)]
    public class TestClassAttribute : Attribute
    {
        /// <summary>As on the device: returns the attribute given.</summary>
        public TestMethodAttribute GetTestMethodAttribute(TestMethodAttribute testMethodAttribute) => testMethodAttribute;
    }

    /// <summary>Marks a test method.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public class TestMethodAttribute : Attribute
    {
    }

    /// <summary>Marks the method run before the class's tests.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public class SetupAttribute : Attribute
    {
    }

    /// <summary>Marks the method run after the class's tests.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public class CleanupAttribute : Attribute
    {
    }

    /// <summary>Runs the test method once with these arguments.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public class DataRowAttribute : Attribute
    {
        /// <summary>Arguments for one run.</summary>
        public DataRowAttribute(params object[] methodParameters)
        {
            MethodParameters = methodParameters;
        }

        /// <summary>Arguments for one run.</summary>
        public object[] MethodParameters { get; }
    }

    /// <summary>Thrown by <see cref="Assert.SkipTest"/>.</summary>
    public class SkipTestException : Exception
    {
        /// <summary>A skipped test.</summary>
        public SkipTestException(string message = "", Exception? innerException = null) : base(message, innerException)
        {
        }
    }

    /// <summary>Writes test output.</summary>
    public static class OutputHelper
    {
        /// <summary>Writes text.</summary>
        public static void Write(string message) => Console.Write(message);

        /// <summary>Writes a line.</summary>
        public static void WriteLine(string message) => Console.WriteLine(message);
    }

    /// <summary>Array helpers of the device framework.</summary>
    public static class TestExtensions
    {
        /// <summary>True when both arrays have the same length and equal elements.</summary>
        public static bool SequenceEqual(this Array a, Array b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }
            for (int i = 0; i < a.Length; i++)
            {
                if (!Equals(a.GetValue(i), b.GetValue(i)))
                {
                    return false;
                }
            }
            return true;
        }
    }
}

namespace TestFrameworkShared
{
    /// <summary>A failed assertion.</summary>
    public class AssertFailedException : Exception
    {
        /// <summary>A failed assertion.</summary>
        public AssertFailedException() : base("assertion failed")
        {
        }

        /// <summary>A failed assertion.</summary>
        public AssertFailedException(string message) : base(message)
        {
        }

        /// <summary>A failed assertion.</summary>
        public AssertFailedException(string message, Exception inner) : base(message, inner)
        {
        }
    }
}
