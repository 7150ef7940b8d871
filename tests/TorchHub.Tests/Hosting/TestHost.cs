using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace TorchHub.Tests.Hosting;

/// <summary>
/// A PowerShell host whose user answers prompts from a script: each <see cref="Answers"/>
/// entry is the label of the choice to pick ("Yes", "No", ...), or "" for Enter (the prompt's
/// default choice). A prompt with no answer left
/// fails the way a non-interactive host does. Every prompt is recorded.
/// </summary>
public sealed class TestHost : PSHost
{
    private readonly TestHostUserInterface _ui;
    private readonly Guid _id = Guid.NewGuid();

    public TestHost(params string[] answers) => _ui = new TestHostUserInterface(answers);

    public Queue<string> Answers => _ui.Answers;

    /// <summary>The captions and messages of the prompts shown, in order.</summary>
    public List<string> Prompts => _ui.Prompts;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override Guid InstanceId => _id;
    public override string Name => "TorchHubTestHost";
    public override PSHostUserInterface UI => _ui;
    public override Version Version => new(1, 0);
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }

    private sealed class TestHostUserInterface : PSHostUserInterface
    {
        public TestHostUserInterface(string[] answers) => Answers = new Queue<string>(answers);

        public Queue<string> Answers { get; }
        public List<string> Prompts { get; } = new();

        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Add(caption + ": " + message);
            if (Answers.Count == 0)
                throw new HostException("The test host has no answer left for: " + message);
            var answer = Answers.Dequeue();
            if (answer.Length == 0) return defaultChoice;
            for (var i = 0; i < choices.Count; i++)
            {
                if (choices[i].Label.Replace("&", "").Equals(answer, StringComparison.OrdinalIgnoreCase))
                    return i;
            }
            throw new InvalidOperationException($"No choice '{answer}' in prompt '{message}'.");
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new HostException("The test host does not answer field prompts.");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new HostException("The test host does not answer credential prompts.");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new HostException("The test host does not answer credential prompts.");
        public override string ReadLine() => throw new HostException("The test host does not read input.");
        public override SecureString ReadLineAsSecureString() => throw new HostException("The test host does not read input.");
        public override void Write(string value) { }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
        public override void WriteLine(string value) { }
        public override void WriteErrorLine(string value) { }
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
    }
}
