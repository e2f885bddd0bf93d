# common.gp - what every figure shares.  A figure script, called as
#
#   gnuplot -c plots/FIGURE.gp RUNS.csv JOBS.csv OUTPUT png|svg
#
# sets `width` and `height`, copies its arguments into `args`, `script`, `runs`,
# `jobs`, `output` and `format` (a loaded file does not see them), and loads this file.
#
# The data come from bin/parlab-report (or $PARLAB_BIN/parlab-report), which reads
# the two CSV files; `title` names the machine, its PUs, the kernel size and the date.
if (args < 4) {
    print "usage: gnuplot -c ".script." RUNS.csv JOBS.csv OUTPUT png|svg"
    exit status 2
}
bin = system("printf %s \"${PARLAB_BIN:-bin}\"")
report = sprintf("%s/parlab-report --runs '%s' --jobs '%s'", bin, runs, jobs)
title = system(report." --value title")
if (strlen(title) == 0) {
    print "cannot read ".runs." and ".jobs." with ".bin."/parlab-report"
    exit status 1
}
# The figure's data, read once into a temporary file that every plot then reads:
# `plot "< command"` would run the command again for each curve.  The figure script
# calls `finish` at its end to remove it.
data = system("mktemp")
system(sprintf("%s --data %s > '%s'", report, figure, data))
finish = "system(\"rm -f '\".data.\"'\")"

if (format eq "svg") {
    set terminal svg size width, height dynamic enhanced font "sans,11" background rgb "white"
} else {
    if (format ne "png") {
        print "the format must be png or svg, not ".format
        exit status 2
    }
    set terminal pngcairo size width, height enhanced font "sans,10" background rgb "white"
}
set output output

# One colour per way of running, the same in every figure.
c_serial = "#555555"
c_none = "#4c72b0"
c_held = "#c44e52"
c_procs = "#55a868"
c_wait = "#dd8452"
set grid ytics lc rgb "#dddddd"
set border 3
set xtics nomirror
set ytics nomirror
