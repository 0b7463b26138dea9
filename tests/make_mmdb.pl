#!/usr/bin/perl
# make_mmdb.pl — writes a small MaxMind-format country database for tests,
# with Debian's libmaxmind-db-writer-perl (MaxMind::DB::Writer::Tree).
#
#   tests/make_mmdb.pl [-t TYPE] [-e EPOCH] [-4] LIST OUT.mmdb
#
# LIST holds one network per line, '#' comments and blank lines allowed:
#   CIDR CC [REGISTERED_CC]
#     203.0.113.0/24 CN           country CN, registered_country CN
#     198.51.100.0/25 - JP        no country, registered_country JP
#     2001:db8:1::/48 -           a record with neither (looks up as ZZ)
#     192.0.2.0/28 US KR          country US, registered_country KR
# CC is written as given, so a malformed code ("x1", "USA") can be tested.
# TYPE is the metadata database_type (default "talot-Test-Country"); EPOCH
# the metadata build_epoch (default SOURCE_DATE_EPOCH, else 1795996800).
# The tree is ip_version 6 (IPv4 networks are stored under ::/96, where
# libmaxminddb looks IPv4 addresses up) unless -4 is given.  Reserved
# networks (documentation prefixes) are kept, as tests use them.
use strict;
use warnings;
use Getopt::Std;
use MaxMind::DB::Writer::Tree;

my %o;
getopts('t:e:4', \%o) && @ARGV == 2
    or die "usage: make_mmdb.pl [-t TYPE] [-e EPOCH] [-4] LIST OUT.mmdb\n";
my ($list, $out) = @ARGV;
my $type  = $o{t} // 'talot-Test-Country';
my $epoch = $o{e} // $ENV{SOURCE_DATE_EPOCH} // 1795996800;

my %types = (
    country            => 'map',
    registered_country => 'map',
    iso_code           => 'utf8_string',
    geoname_id         => 'uint32',
    note               => 'utf8_string',
);
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version               => $o{4} ? 4 : 6,
    record_size              => 24,
    database_type            => $type,
    languages                => ['en'],
    description              => { en => 'talot test database' },
    map_key_type_callback    => sub { $types{ $_[0] } },
    remove_reserved_networks => 0,
    merge_strategy           => 'none',
);
$tree->_set_build_epoch($epoch);

open my $in, '<', $list or die "$list: $!\n";
while (my $line = <$in>) {
    $line =~ s/#.*//;
    $line =~ s/^\s+|\s+$//g;
    next if $line eq '';
    my ($cidr, $cc, $rcc) = split /\s+/, $line;
    defined $cc or die "$list:$.: expected CIDR CC [REGISTERED_CC]\n";
    $rcc //= $cc;
    my %rec = (note => 'test');
    $rec{country} = { iso_code => $cc, geoname_id => 1 } if $cc ne '-';
    $rec{registered_country} = { iso_code => $rcc, geoname_id => 2 }
        if $rcc ne '-';
    $tree->insert_network($cidr, \%rec);
}
close $in;
open my $fh, '>:raw', "$out.tmp" or die "$out.tmp: $!\n";
$tree->write_tree($fh);
close $fh or die "$out.tmp: $!\n";
rename "$out.tmp", $out or die "$out: $!\n";
