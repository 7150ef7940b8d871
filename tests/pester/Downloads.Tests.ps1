#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Mirrors the Save-HubFile scenarios of tests/TorchHub.Tests/PowerShell/SaveHubFileCmdletTests.cs
# and Engine/Downloads/DownloaderTests.cs that need no server. CI runs it in real pwsh (.ci/run).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/TorchHub/TorchHub.psd1') -Force
}

Describe 'Save-HubFile without the network' {
    BeforeEach {
        $hub = Join-Path $TestDrive "hub-$([guid]::NewGuid().ToString('n'))"
        Set-HubDirectory $hub
    }
    AfterEach { Set-HubDirectory -UseDefault }

    It 'reports each bad URI as its own error and goes on' {
        $files = Save-HubFile -Uri 'not a url', 'ftp://host/x.pth' -ErrorVariable err -ErrorAction SilentlyContinue
        $files | Should -BeNullOrEmpty
        $err.Count | Should -Be 2
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidUri,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[1].FullyQualifiedErrorId | Should -BeLike 'UnsupportedUriScheme,*'
        $err[1].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'downloads nothing with -WhatIf' {
        Save-HubFile -Uri 'http://127.0.0.1:9/w.pth' -WhatIf | Should -BeNullOrEmpty
        Join-Path $hub 'checkpoints' | Should -Not -Exist
    }

    It 'refuses a -HashPrefix that is not hex as InvalidHashPrefix' {
        $e = $null
        try { Save-HubFile -Uri 'http://127.0.0.1:9/w.pth' -HashPrefix xyz -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'InvalidHashPrefix,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Join-Path $hub 'checkpoints' 'w.pth' | Should -Not -Exist
    }
}

Describe 'Save-HubFile against a 127.0.0.1 server' {
    BeforeAll {
        # A server in a thread of this pwsh: /files/<name> is 3000 bytes, anything else is 503.
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $server = Start-ThreadJob -ArgumentList $listener -ScriptBlock {
            param($listener)
            while ($true) {
                try { $client = $listener.AcceptTcpClient() } catch { return } # stopped
                $stream = $client.GetStream()
                $reader = [IO.StreamReader]::new($stream)
                $request = $reader.ReadLine()
                while ($reader.ReadLine()) { } # the rest of the request's head, up to its empty line
                $head = if ($request -match '^GET /files/') { "HTTP/1.1 200 OK`r`nContent-Length: 3000" } else { "HTTP/1.1 503 Service Unavailable`r`nContent-Length: 0" }
                $answer = [Text.Encoding]::ASCII.GetBytes("$head`r`nConnection: close`r`n`r`n")
                $stream.Write($answer, 0, $answer.Length)
                if ($request -match '^GET /files/') { $stream.Write([byte[]]::new(3000), 0, 3000) }
                $client.Dispose()
            }
        }
        # A port nobody listens on: a listener that is gone.
        $gone = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $gone.Start(); $refusedPort = $gone.LocalEndpoint.Port; $gone.Stop()

        $saved = @{ TORCHHUB_RETRY_DELAY_MS = $env:TORCHHUB_RETRY_DELAY_MS; TORCHHUB_HTTP_RETRIES = $env:TORCHHUB_HTTP_RETRIES }
        $env:TORCHHUB_RETRY_DELAY_MS = '20'
        $env:TORCHHUB_HTTP_RETRIES = '2'
        $hub = Join-Path $TestDrive 'hub-server'
        Set-HubDirectory $hub
    }
    AfterAll {
        $listener.Stop()
        $server | Wait-Job -Timeout 10 | Remove-Job -Force
        foreach ($key in $saved.Keys) { Set-Item "env:$key" $saved[$key] }
        Set-HubDirectory -UseDefault
    }

    It 'warns at each retry of a 503, then fails with DownloadHttpError' {
        $uri = "http://127.0.0.1:$port/busy.pth"
        $e = $null
        try { Save-HubFile -Uri $uri -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop } catch { $e = $_ }
        $warned.Count | Should -Be 2
        $warned[0].Message | Should -BeLike "Downloading '$uri': attempt 1 of 3 failed (*503 Service Unavailable*); next try in *s."
        $warned[1].Message | Should -BeLike "*attempt 2 of 3 failed*"
        $e.FullyQualifiedErrorId | Should -BeLike 'DownloadHttpError,*'
    }

    It 'warns at each retry of a refused connection, then fails with DownloadFailed' {
        $uri = "http://127.0.0.1:$refusedPort/down.pth"
        $e = $null
        try { Save-HubFile -Uri $uri -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop } catch { $e = $_ }
        $warned.Count | Should -Be 2
        $warned[0].Message | Should -BeLike "Downloading '$uri': attempt 1 of 3 failed (could not reach 127.0.0.1*); next try in *s."
        $e.FullyQualifiedErrorId | Should -BeLike 'DownloadFailed,*'
    }

    It 'shows the warnings on screen without -Verbose' {
        $uri = "http://127.0.0.1:$refusedPort/screen.pth"
        $text = Save-HubFile -Uri $uri -ErrorAction SilentlyContinue 3>&1 | Out-String -Width 120
        $text | Should -Match 'attempt 1 of 3 failed'
        $text | Should -Match 'attempt 2 of 3 failed'
    }

    It 'shows saved files under their folder, each name whole, sizes readable' {
        $name = 'a-checkpoint-whose-name-is-longer-than-most-of-them-0123abcd.pth'
        $text = Save-HubFile -Uri "http://127.0.0.1:$port/files/$name" | Out-String -Width 120
        $text | Should -Match "Directory: $([regex]::Escape((Join-Path $hub 'checkpoints')))"
        $text | Should -Match 'Size\s+Sha256\s+FromCache\s+Elapsed\s+Name'
        $text | Should -Match "2\.9 KB [0-9a-f]{12} False\s+[0-9.]+s $([regex]::Escape($name))"
    }
}
