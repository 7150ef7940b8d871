using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace TorchHub.Tests.PowerShell.Help;

/// <summary>
/// A host that records what PowerShell's formatter writes (Out-Host / Out-Default), so tests can
/// read how objects and help render. The hosted engine has no Out-String or Format-* cmdlets, but
/// its formatter and Out-Host are part of the engine. Culture is en-US, as most users' is.
/// </summary>
public sealed class CapturingHost : PSHost
{
    private readonly CapturingUI _ui = new();
    private readonly Guid _id = Guid.NewGuid();

    public string Text => _ui.Buffer.ToString();

    public void Clear() => _ui.Buffer.Clear();

    public override CultureInfo CurrentCulture => CultureInfo.GetCultureInfo("en-US");
    public override CultureInfo CurrentUICulture => CultureInfo.GetCultureInfo("en-US");
    public override Guid InstanceId => _id;
    public override string Name => "TorchHubCapturingHost";
    public override PSHostUserInterface UI => _ui;
    public override Version Version => new(1, 0);
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }

    private sealed class CapturingUI : PSHostUserInterface
    {
        public StringBuilder Buffer { get; } = new();
        public override PSHostRawUserInterface? RawUI => null;
        public override void Write(string value) => Buffer.Append(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Buffer.Append(value);
        public override void WriteLine(string value) => Buffer.Append(value).Append('\n');
        public override void WriteErrorLine(string value) => Buffer.Append("ERROR: ").Append(value).Append('\n');
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
        public override string ReadLine() => throw new HostException("no input");
        public override SecureString ReadLineAsSecureString() => throw new HostException("no input");
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new HostException("no input");
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw new HostException("no input");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new HostException("no input");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new HostException("no input");
    }
}
