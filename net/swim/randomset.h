// A set of small non-negative ids with O(1) insert, erase, lookup and
// uniform random choice (swap-with-last on erase).
#pragma once

#include <QtGlobal>

#include <random>
#include <vector>

namespace shoal::swim {

class RandomIndexSet final
{
public:
    bool contains(int id) const
    {
        return id >= 0 && static_cast<size_t>(id) < m_positions.size()
            && m_positions[static_cast<size_t>(id)] >= 0;
    }

    bool insert(int id)
    {
        if (id < 0 || contains(id))
            return false;
        const auto slot = static_cast<size_t>(id);
        if (slot >= m_positions.size())
            m_positions.resize(slot + 1, -1);
        m_positions[slot] = static_cast<qsizetype>(m_items.size());
        m_items.push_back(id);
        return true;
    }

    bool erase(int id)
    {
        if (!contains(id))
            return false;
        const auto slot = static_cast<size_t>(id);
        const auto position = static_cast<size_t>(m_positions[slot]);
        const int last = m_items.back();
        m_items[position] = last;
        m_positions[static_cast<size_t>(last)] = static_cast<qsizetype>(position);
        m_items.pop_back();
        m_positions[slot] = -1;
        return true;
    }

    qsizetype size() const { return static_cast<qsizetype>(m_items.size()); }
    bool isEmpty() const { return m_items.empty(); }
    int at(qsizetype index) const { return m_items[static_cast<size_t>(index)]; }

    // Uniform choice; the set must not be empty.
    template<class Generator> int choose(Generator &generator) const
    {
        std::uniform_int_distribution<size_t> pick(0, m_items.size() - 1);
        return m_items[pick(generator)];
    }

private:
    std::vector<int> m_items;
    std::vector<qsizetype> m_positions; // index in m_items by id, -1 when absent
};

} // namespace shoal::swim
