//! Command-line interface: parses flags, compiles the rule set once, runs the pipeline, and
//! maps the outcome to an exit code (0 clean, 1 threshold hit, 2 error).

use crate::error::{Error, Result};
use crate::input::{self, InputFormat};
use crate::model::Level;
use crate::output::{table::TableStyle, Format, Writer};
use crate::rules;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "sourcecheck",
    version,
    about = "Audit the sourcing of news articles: who stands behind each claim, and how strongly.",
    after_help = "Examples:\n  sourcecheck check examples/harbour-deal.txt\n  sourcecheck check --format jsonl corpus.jsonl > claims.jsonl\n  cat article.txt | sourcecheck check - --fail-on weak\n\nExit codes: 0 clean, 1 a claim at or below --fail-on, 2 usage, rule, input or I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse articles: find claims, link them to sources, rate attribution strength.
    Check(CheckArgs),
    /// Work with rule sets: init, validate, test, list, explain.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Explain one claim of an article: every rule and factor that fired, and where it is defined.
    Explain(ExplainArgs),
    /// Write review reports: NAME.md, NAME.html (self-contained) and NAME.json per article,
    /// and index.md / index.html for several.
    Report(ReportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Articles: .txt or .md files, .jsonl corpora, folders, or - for stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Folder to write the reports into.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,
    /// Folder with templates replacing the default ones (article.md.j2, article.html.j2,
    /// index.md.j2, index.html.j2).
    #[arg(long, value_name = "DIR")]
    pub template_dir: Option<PathBuf>,
    /// Rule folder to use instead of the embedded default.
    #[arg(long, value_name = "DIR", env = "SOURCECHECK_RULES")]
    pub rules: Option<PathBuf>,
    /// Check quotations against the cited documents in DIR.
    #[arg(long, value_name = "DIR")]
    pub sources: Option<PathBuf>,
    /// How to read inputs.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Write the default rule set into DIR as editable YAML, with a README and test articles.
    Init {
        dir: PathBuf,
        /// Overwrite files that already exist.
        #[arg(long)]
        force: bool,
    },
    /// Check every rule file and report every problem (exit 2 if any).
    Validate {
        /// Rule folder (default: the embedded rules).
        dir: Option<PathBuf>,
    },
    /// Run the rules' own examples and the fixture articles in DIR/tests (exit 1 on failure).
    Test {
        /// Rule folder (default: the embedded rules and their fixtures).
        dir: Option<PathBuf>,
    },
    /// List every flag rule, cue class, outlet, person, body and descriptor, with where it is defined.
    List {
        /// Rule folder (default: the embedded rules).
        dir: Option<PathBuf>,
    },
    /// Explain one rule, outlet, person, body, descriptor, cue class or scoring key by id.
    Explain {
        id: String,
        /// Rule folder (default: the embedded rules).
        #[arg(long, value_name = "DIR", env = "SOURCECHECK_RULES")]
        rules: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The article (text or Markdown file, or - for stdin).
    pub file: PathBuf,
    /// The claim number, as in the table's first column.
    pub claim: usize,
    /// Rule folder to use instead of the embedded default.
    #[arg(long, value_name = "DIR", env = "SOURCECHECK_RULES")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Articles: .txt or .md files, .jsonl corpora, folders (walked for those), or - for stdin.
    #[arg(value_name = "PATH", default_value = "-")]
    pub paths: Vec<PathBuf>,
    /// Output format (default: table).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Rule folder to use instead of the embedded default (files missing there fall back to
    /// the default ones).
    #[arg(long, value_name = "DIR", env = "SOURCECHECK_RULES")]
    pub rules: Option<PathBuf>,
    /// Exit 1 when any claim is at or below this level.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<Level>,
    /// Write the output to FILE (atomically: a temporary file, renamed when complete).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to colour the table (never for JSON). NO_COLOR is honoured.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// How to read inputs.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
    /// Run only these flag rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub only: Vec<String>,
    /// Do not run these flag rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub disable: Vec<String>,
    /// Set a flag rule's severity: ID=info|warning|error (repeatable).
    #[arg(long, value_name = "ID=SEVERITY")]
    pub severity: Vec<String>,
    /// Check claims against the texts of their cited documents in DIR (one file each, with
    /// optional front matter: outlet, url, date).
    #[arg(long, value_name = "DIR")]
    pub sources: Option<PathBuf>,
    /// Print the explanation of claim N of each article instead of the output format.
    #[arg(long, value_name = "N")]
    pub explain: Option<usize>,
    /// Worker threads (default: all cores). Output is the same whatever the number.
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// Runs the command line; returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules(cmd) => crate::authoring::run(cmd),
        Command::Explain(args) => crate::authoring::explain_claim(&args),
        Command::Report(args) => report(&args),
    };
    match result {
        Ok(code) => code,
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("sourcecheck: {e}");
            2
        }
    }
}

fn table_width() -> u16 {
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
    {
        return w.max(40);
    }
    let probe = comfy_table::Table::new();
    probe.width().filter(|w| *w >= 40).unwrap_or(120)
}

/// Parses `ID=SEVERITY` pairs.
pub fn severities(list: &[String]) -> Result<Vec<(String, crate::rules::schema::Severity)>> {
    use crate::rules::schema::Severity;
    list.iter()
        .map(|item| {
            let (id, sev) = item.split_once('=').ok_or_else(|| {
                Error::Usage(format!("--severity takes ID=SEVERITY, not `{item}`"))
            })?;
            let sev = match sev {
                "info" => Severity::Info,
                "warning" => Severity::Warning,
                "error" => Severity::Error,
                other => {
                    return Err(Error::Usage(format!(
                        "severity `{other}` is not info, warning or error"
                    )))
                }
            };
            Ok((id.to_string(), sev))
        })
        .collect()
}

fn report(args: &ReportArgs) -> Result<i32> {
    let rules = rules::load(args.rules.as_deref())?;
    let library = args
        .sources
        .as_deref()
        .map(crate::verify::Library::load)
        .transpose()?;
    let inputs = input::expand(&args.paths)?;
    let templates = crate::report::Templates::load(args.template_dir.as_deref())?;
    let opts = crate::report::ReportRun {
        out: args.out.clone(),
        rules: &rules,
        sources: library.as_ref(),
        templates,
    };
    let bar = Progress::new(&inputs);
    let (written, errors) = crate::report::run(
        &inputs,
        args.input_format,
        &opts,
        &|bytes| bar.advance(1, bytes),
        &|e| bar.println(&format!("sourcecheck: {e}")),
    )?;
    bar.finish();
    eprintln!(
        "sourcecheck: wrote {written} report{} to {}",
        if written == 1 { "" } else { "s" },
        args.out.display()
    );
    Ok(if errors > 0 { 2 } else { 0 })
}

/// What a run has met so far.
struct Run {
    errors: usize,
    hit: bool,
    io_error: Option<Error>,
}

/// A progress bar on stderr for long runs on a terminal; nothing otherwise.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new(inputs: &[input::Input]) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let total: u64 = inputs
            .iter()
            .map(|i| match i {
                input::Input::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
                input::Input::Stdin => 0,
            })
            .sum();
        let stdin = inputs.iter().any(|i| matches!(i, input::Input::Stdin));
        if total < 4 << 20 && !stdin {
            return Progress(None); // short runs need no bar
        }
        let bar = if stdin {
            indicatif::ProgressBar::new_spinner()
        } else {
            indicatif::ProgressBar::new(total)
        };
        let template = if stdin {
            "{spinner} {msg} {bytes} read, {bytes_per_sec}, {elapsed}"
        } else {
            "{bar:30} {msg} {bytes}/{total_bytes}, {bytes_per_sec}, eta {eta}"
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(4));
        Progress(Some(bar))
    }
    fn advance(&self, articles: usize, bytes: u64) {
        if let Some(b) = &self.0 {
            b.inc(bytes);
            let done = b
                .message()
                .split(' ')
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0)
                + articles;
            b.set_message(format!("{done} articles"));
        }
    }
    fn println(&self, line: &str) {
        match &self.0 {
            Some(b) => b.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// One article as a worker leaves it: its encoded report (or `--explain` text), and whether
/// it reaches the `--fail-on` level.
struct Encoded {
    body: std::io::Result<Vec<u8>>,
    hit: bool,
    explained: Option<String>,
}

/// What the workers need to analyse and encode an article.
struct Job<'a> {
    args: &'a CheckArgs,
    rules: &'a crate::rules::RuleSet,
    library: Option<&'a crate::verify::Library>,
    format: crate::output::Format,
    table: TableStyle,
}

impl Job<'_> {
    /// Analyses and encodes a batch on the pool's threads, results in input order.
    fn run(&self, items: Vec<input::Item>) -> Vec<Result<Encoded>> {
        use rayon::prelude::*;
        items.into_par_iter().map(|item| self.one(item)).collect()
    }

    /// Analyses and encodes one article.
    fn one(&self, item: input::Item) -> Result<Encoded> {
        let a = item.parse()?;
        let report = crate::analyze_full(&a.id, &a.text, a.meta, self.rules, self.library);
        let hit = self
            .args
            .fail_on
            .is_some_and(|level| report.claims.iter().any(|c| c.strength.level <= level));
        Ok(match self.args.explain {
            Some(n) => {
                let text = crate::authoring::explanation(self.rules, &a.text, &report, n)
                    .unwrap_or_else(|e| format!("{}: {e}\n", a.id));
                Encoded {
                    body: Ok(Vec::new()),
                    hit,
                    explained: Some(text),
                }
            }
            None => Encoded {
                body: crate::output::encode(self.format, &self.table, &report),
                hit,
                explained: None,
            },
        })
    }
}

/// A batch handed to the workers; its results arrive on `rx`.
struct InFlight {
    rx: std::sync::mpsc::Receiver<Vec<Result<Encoded>>>,
    count: usize,
    bytes: u64,
}

/// Batches of articles on their way through the workers. With more than one job, the next
/// batch is read (and the last one written) while the workers analyse, so reading and
/// writing do not leave the workers idle; with one job everything runs in turn on the
/// calling thread.
struct Batches<'b, 's> {
    job: &'s Job<'s>,
    scope: &'b rayon::Scope<'s>,
    overlap: bool,
    pending: Option<InFlight>,
}

impl Batches<'_, '_> {
    /// Starts a batch; with overlap, writes the previous one while this one runs.
    fn dispatch(&mut self, batch: &mut Vec<input::Item>, out: &mut Out<'_>) {
        if batch.is_empty() || out.run.io_error.is_some() {
            batch.clear();
            return;
        }
        let items = std::mem::take(batch);
        let bytes: u64 = items.iter().map(|i| i.input_len() as u64).sum();
        let count = items.len();
        if !self.overlap {
            // one job: on this thread, with no hand-over to a worker and back per batch
            let results = items.into_iter().map(|i| self.job.one(i)).collect();
            out.write(results, count, bytes);
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let job = self.job;
        self.scope.spawn(move |_| {
            // the receiver is gone only when the run has stopped on an error
            let _ = tx.send(job.run(items));
        });
        let previous = self.pending.replace(InFlight { rx, count, bytes });
        if let Some(p) = previous {
            out.collect(p);
        }
    }

    /// Waits for the batch in flight and writes it.
    fn drain(&mut self, out: &mut Out<'_>) {
        if let Some(p) = self.pending.take() {
            out.collect(p);
        }
    }
}

/// Where finished batches go: the writer, the run's tallies and the progress bar.
struct Out<'w> {
    writer: &'w mut Writer<Box<dyn Write>>,
    run: &'w mut Run,
    progress: &'w Progress,
    target: PathBuf,
}

impl Out<'_> {
    fn collect(&mut self, p: InFlight) {
        match p.rx.recv() {
            Ok(results) => self.write(results, p.count, p.bytes),
            Err(_) => {
                self.run.io_error.get_or_insert_with(|| {
                    Error::Usage("a worker thread stopped before finishing its batch".into())
                });
            }
        }
    }

    /// Writes a batch's results in order.
    fn write(&mut self, results: Vec<Result<Encoded>>, count: usize, bytes: u64) {
        if self.run.io_error.is_some() {
            return;
        }
        for r in results {
            match r {
                Ok(Encoded {
                    body,
                    hit,
                    explained,
                }) => {
                    self.run.hit |= hit;
                    let written = match explained {
                        Some(text) => std::io::stdout().write_all(text.as_bytes()),
                        None => body.and_then(|b| self.writer.write_encoded(&b)),
                    };
                    if let Err(e) = written {
                        self.run.io_error = Some(Error::io(self.target.clone(), e));
                        return;
                    }
                }
                Err(e) => {
                    self.run.errors += 1;
                    self.progress.println(&format!("sourcecheck: {e}"));
                }
            }
        }
        self.progress.advance(count, bytes);
    }
}

fn check(args: &CheckArgs) -> Result<i32> {
    let mut rules = rules::load(args.rules.as_deref())?;
    rules.select(&args.only, &args.disable, &severities(&args.severity)?)?;
    let library = args
        .sources
        .as_deref()
        .map(crate::verify::Library::load)
        .transpose()?;
    let inputs = input::expand(&args.paths)?;
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = args.format == Format::Table
        && match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
    let style = TableStyle {
        color,
        width: table_width(),
    };

    // the sink: stdout, or a temporary file renamed into place when complete
    let (sink, temp): (Box<dyn Write>, Option<(PathBuf, PathBuf)>) = match &args.output {
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), PathBuf::from);
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "out".into());
            let tmp = dir.join(format!(".{name}.sourcecheck-{}.tmp", std::process::id()));
            let f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
            (
                Box::new(std::io::BufWriter::new(f)),
                Some((tmp, path.clone())),
            )
        }
        None => (
            Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            None,
        ),
    };
    let mut writer = Writer::new(sink, args.format, style);
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {jobs} worker threads: {e}")))?;
    let progress = Progress::new(&inputs);
    let mut run = Run {
        errors: 0,
        hit: false,
        io_error: None,
    };
    // articles are read in batches, analysed in parallel, and written in input order, so a
    // corpus streams in bounded memory and the output does not depend on the thread count
    let job = Job {
        args,
        rules: &rules,
        library: library.as_ref(),
        format: writer.format,
        table: writer.table,
    };
    let target = args.output.clone().unwrap_or_else(|| "<stdout>".into());
    let mut out = Out {
        writer: &mut writer,
        run: &mut run,
        progress: &progress,
        target: target.clone(),
    };
    let mut batch: Vec<input::Item> = Vec::new();
    let mut pending_bytes = 0usize;
    pool.in_place_scope(|scope| {
        let mut batches = Batches {
            job: &job,
            scope,
            overlap: jobs > 1,
            pending: None,
        };
        for inp in &inputs {
            // stdin streams article by article (a pipeline sees each result at once); files
            // and corpora go in batches that keep every core busy, across file boundaries
            let stdin = matches!(inp, input::Input::Stdin);
            // a batch is 32 articles or 1 MiB of input per job, whichever comes first: big
            // enough to keep the workers busy, small enough that memory stays bounded
            let (batch_size, batch_bytes) = if stdin {
                (1, 0)
            } else {
                (32 * jobs, (1 << 20) * jobs)
            };
            let res = input::read_items(inp, args.input_format, &mut |item| {
                pending_bytes += item.input_len();
                batch.push(item);
                if batch.len() >= batch_size || pending_bytes >= batch_bytes {
                    pending_bytes = 0;
                    batches.dispatch(&mut batch, &mut out);
                    if stdin {
                        batches.drain(&mut out);
                        if let Err(e) = out.writer.flush() {
                            out.run.io_error = Some(Error::io("<stdout>", e));
                        }
                    }
                }
                out.run.io_error.is_none()
            });
            if stdin {
                batches.dispatch(&mut batch, &mut out);
                batches.drain(&mut out);
            }
            if out.run.io_error.is_some() {
                break;
            }
            if let Err(e) = res {
                out.run.errors += 1;
                out.progress.println(&format!("sourcecheck: {e}"));
            }
        }
        batches.dispatch(&mut batch, &mut out);
        batches.drain(&mut out);
    });
    if let Some(e) = run.io_error.take() {
        if let Some((tmp, _)) = &temp {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(e);
    }
    progress.finish();
    let (errors, hit) = (run.errors, run.hit);
    writer.finish().map_err(|e| Error::io(&target, e))?;
    if let Some((tmp, path)) = temp {
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
    }
    Ok(if errors > 0 {
        2
    } else if hit {
        1
    } else {
        0
    })
}
